export * from './organisation.entity';
export * from './compact.entity';
export * from './registry.module';
export * from './registry-lookup.service';
