import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('compacts')
export class CompactEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('text') name: string;
  @Column('text') scope: 'national' | 'local';
  @Column('text', { nullable: true }) area: string | null;
  @Column('date', { name: 'adopted_on', nullable: true }) adoptedOn: string | null;
  @Column('text') status: 'draft' | 'active' | 'under_review' | 'archived';
  @Column('text', { name: 'source_url', nullable: true }) sourceUrl: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
