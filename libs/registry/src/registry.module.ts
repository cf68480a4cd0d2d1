import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AdminRegistryController } from './admin-registry.controller';
import { CompactEntity } from './compact.entity';
import { RegistryEditor } from './edit-registry/registry-editor';
import { CompactImporter } from './import-compact/compact-importer';
import { OrganisationEntity } from './organisation.entity';
import { RegistryQueries } from './read-registry/registry-queries';
import { RegistryController } from './registry.controller';
import { RegistryLookup } from './registry-lookup.service';

/** Compacts, their commitments and rules, organisations and who signed what. */
@Module({
  imports: [TypeOrmModule.forFeature([OrganisationEntity, CompactEntity])],
  controllers: [RegistryController, AdminRegistryController],
  providers: [RegistryLookup, RegistryQueries, RegistryEditor, CompactImporter],
  exports: [RegistryLookup, RegistryQueries, RegistryEditor, CompactImporter, TypeOrmModule],
})
export class RegistryModule {}
