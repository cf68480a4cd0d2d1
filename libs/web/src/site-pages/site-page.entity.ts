import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { UserEntity } from '@cc/identity';

/** A footer page's text (site_pages; its migration seeds the four pages and their order). */
@Entity('site_pages')
export class SitePageEntity {
  @PrimaryColumn('text') slug: string;
  @Column('int') position: number;
  @Column('text') title: string;
  @Column('text') body: string;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt: Date;
  @Column('uuid', { name: 'updated_by', nullable: true }) updatedById: string | null;
  /** Who last changed it, for "Last updated by"; loaded with the page. */
  @ManyToOne(() => UserEntity, { nullable: true })
  @JoinColumn({ name: 'updated_by' })
  updater: UserEntity | null;
}
