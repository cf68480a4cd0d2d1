// Who read what: every staff read of a case, recorded in batches so a request never waits for it.
export {};
