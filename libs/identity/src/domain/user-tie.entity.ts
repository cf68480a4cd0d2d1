import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A tie between a person and an organisation that would make them partial as a mediator. */
@Entity('user_organisation_ties')
export class UserTieEntity {
  @PrimaryColumn('uuid', { name: 'user_id' }) userId: string;
  @PrimaryColumn('uuid', { name: 'organisation_id' }) organisationId: string;
  @Column('text') nature: string;
}
