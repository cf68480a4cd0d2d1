import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CompactEntity } from './compact.entity';
import { OrganisationEntity } from './organisation.entity';
import { RegistryLookup } from './registry-lookup.service';

/** Compacts and organisations. Minimal for the case core; the registry issue fills it out. */
@Module({
  imports: [TypeOrmModule.forFeature([OrganisationEntity, CompactEntity])],
  providers: [RegistryLookup],
  exports: [RegistryLookup, TypeOrmModule],
})
export class RegistryModule {}
