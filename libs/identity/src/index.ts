export * from './caller';
export * from './user.entity';
export * from './user-tie.entity';
export * from './passwords';
export * from './auth.guard';
export * from './token.service';
export * from './users-directory.service';
export * from './identity.module';
