import { InitialSchema1764000000000 } from './1764000000000-initial-schema';
import { DeadlinesAndNotifications1764100000000 } from './1764100000000-deadlines-and-notifications';

/** Every migration, in order. Listed as classes so that compiled and test runs load the same set. */
export const MIGRATIONS = [InitialSchema1764000000000, DeadlinesAndNotifications1764100000000];
