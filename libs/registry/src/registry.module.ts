import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AdminRegistryController } from './admin-registry.controller';
import { CompactEntity } from './domain/compact.entity';
import { RegistryEditor } from './edit-registry/registry-editor';
import { CompactImporter } from './import-compact/compact-importer';
import { OrganisationEntity } from './domain/organisation.entity';
import { RegistryQueries } from './read-registry/registry-queries';
import { RegistryController } from './read-registry/registry.controller';
import { RegistryLookup } from './read-registry/registry-lookup.service';
import { RespondentContacts } from './respondent-contacts/respondent-contacts';
import { RespondentContactsController } from './respondent-contacts/respondent-contacts.controller';

/** Compacts, their commitments and rules, organisations and who signed what. */
@Module({
  imports: [TypeOrmModule.forFeature([OrganisationEntity, CompactEntity])],
  controllers: [RegistryController, AdminRegistryController, RespondentContactsController],
  providers: [RegistryLookup, RegistryQueries, RegistryEditor, CompactImporter, RespondentContacts],
  exports: [RespondentContacts, RegistryLookup, RegistryQueries, RegistryEditor, CompactImporter, TypeOrmModule],
})
export class RegistryModule {}
