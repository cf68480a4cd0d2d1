import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { Role } from '@cc/workflows';

@Entity('users')
export class UserEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('text') email: string;
  @Column('text', { name: 'display_name' }) displayName: string;
  @Column('text') role: Role;
  /** A reporter's organisation; optional for staff. */
  @Column('uuid', { name: 'organisation_id', nullable: true }) organisationId: string | null;
  @Column('text', { name: 'password_hash', select: false }) passwordHash: string;
  @Column('boolean') active: boolean;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
