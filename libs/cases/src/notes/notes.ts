import { Injectable } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { InjectRepository } from '@nestjs/typeorm';
import { IsIn, IsString, Length } from 'class-validator';
import { In, Repository } from 'typeorm';
import { Forbidden } from '@cc/common';
import type { Caller } from '@cc/identity';
import { UsersDirectory } from '@cc/identity';
import { CaseAccess } from '../domain/case-access.service';
import { CaseNoteEntity } from '../domain/case-note.entity';
import { VISIBILITIES, Visibility, readableBy, writableBy } from '../domain/visibility';

export class AddNoteRequest {
  @ApiProperty({ enum: VISIBILITIES, description: 'shared: the reporter sees it; internal: caseworkers only; mediator: the appointed mediator only' })
  @IsIn(VISIBILITIES, { message: `must be one of ${VISIBILITIES.join(', ')}` })
  visibility: Visibility;

  @ApiProperty()
  @IsString({ message: 'must be text' })
  @Length(1, 10_000, { message: 'must be 1 to 10000 characters' })
  body: string;
}

export class NoteView {
  @ApiProperty() id: string;
  @ApiProperty({ enum: VISIBILITIES }) visibility: Visibility;
  @ApiProperty() body: string;
  @ApiProperty() authorName: string;
  @ApiProperty() createdAt: string;
}

@Injectable()
export class CaseNotes {
  constructor(
    @InjectRepository(CaseNoteEntity) private readonly notes: Repository<CaseNoteEntity>,
    private readonly access: CaseAccess,
    private readonly directory: UsersDirectory,
  ) {}

  async list(caller: Caller, idOrReference: string): Promise<NoteView[]> {
    const c = await this.access.visibleCase(caller, idOrReference);
    const rows = await this.notes.find({
      where: { caseId: c.id, visibility: In([...readableBy(caller.role)]) },
      order: { createdAt: 'ASC' },
    });
    const names = await this.directory.displayNames(rows.map((n) => n.authorId));
    return rows.map((n) => toView(n, names.get(n.authorId) ?? '(unknown)'));
  }

  async add(caller: Caller, idOrReference: string, request: AddNoteRequest): Promise<NoteView> {
    const c = await this.access.visibleCase(caller, idOrReference);
    if (!writableBy(caller.role).includes(request.visibility)) {
      throw new Forbidden(
        'NOTE_VISIBILITY_NOT_ALLOWED',
        `You cannot write ${request.visibility} notes; you can write: ${writableBy(caller.role).join(', ')}.`,
      );
    }
    const saved = await this.notes.save(this.notes.create({ caseId: c.id, authorId: caller.userId, visibility: request.visibility, body: request.body }));
    const names = await this.directory.displayNames([caller.userId]);
    return toView(saved, names.get(caller.userId) ?? '(unknown)');
  }
}

function toView(n: CaseNoteEntity, authorName: string): NoteView {
  return { id: n.id, visibility: n.visibility, body: n.body, authorName, createdAt: n.createdAt.toISOString() };
}
