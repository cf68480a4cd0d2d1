import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type Sector = 'voluntary' | 'public';

@Entity('organisations')
export class OrganisationEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('text') name: string;
  /** A voluntary or community organisation, or a public body that may be a respondent. */
  @Column('text') sector: Sector;
  @Column('text', { name: 'body_type', nullable: true }) bodyType: string | null;
  @Column('text', { nullable: true }) area: string | null;
  @Column('text', { name: 'charity_number', nullable: true }) charityNumber: string | null;
  @Column('text', { nullable: true }) website: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
