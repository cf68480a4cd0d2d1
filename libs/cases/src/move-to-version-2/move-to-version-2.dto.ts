import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsOptional, IsUUID } from 'class-validator';

/** The most cases one run may name: far more than a council's year of reports, and a bounded request. */
export const MOVE_MAX_CASE_IDS = 5000;

/** Why a case stays on version 1 (or was not moved), as a code for clients; `reason` says it in words. */
export const STAY_CODES = ['cannotMove', 'alreadyMoved', 'closed', 'notFound'] as const;
export type StayCode = (typeof STAY_CODES)[number];

/** One open version 1 case in the dry run. */
export class MoveCandidate {
  @ApiProperty() id: string;
  @ApiProperty({ example: 'CB-2026-00042' }) reference: string;
  @ApiProperty({ example: 'advocacy.awaitingResponse', description: 'Where it is now (the state on version 1)' }) state: string;
  @ApiProperty({ example: "Advocacy: waiting for the public body's reply", description: 'Where it is now, in words' }) where: string;
  @ApiProperty() movable: boolean;
  @ApiProperty({ nullable: true, type: String, description: 'The version 2 state it would move to' }) targetState: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'That state in words' }) target: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Why it cannot move, in words' }) reason: string | null;
}

export class MoveDryRun {
  @ApiProperty({ description: 'Open cases on version 1' }) total: number;
  @ApiProperty({ description: 'How many of them would move' }) movable: number;
  @ApiProperty({ description: 'How many would stay on version 1' }) cannotMove: number;
  @ApiProperty({ type: [MoveCandidate] }) cases: MoveCandidate[];
}

export class MoveRunRequest {
  @ApiPropertyOptional({ type: [String], description: 'The cases to move (ids). Left out: every open version 1 case that can move.' })
  @IsOptional()
  @IsArray({ message: 'must be a list of case ids' })
  @ArrayMinSize(1, { message: 'must name at least one case; leave it out to move every case that can move' })
  @ArrayMaxSize(MOVE_MAX_CASE_IDS, { message: `must name at most ${MOVE_MAX_CASE_IDS} cases` })
  @IsUUID('all', { each: true, message: 'must contain only case ids (UUIDs)' })
  caseIds?: string[];
}

export class MovedCase {
  @ApiProperty() id: string;
  @ApiProperty() reference: string;
  @ApiProperty({ description: 'The state on version 2 (the same step it was at)' }) state: string;
  @ApiProperty({ description: 'That state in words' }) where: string;
}

export class StayedCase {
  @ApiProperty() id: string;
  @ApiProperty({ nullable: true, type: String }) reference: string | null;
  @ApiProperty({ nullable: true, type: String }) state: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Where it is, in words' }) where: string | null;
  @ApiProperty({ enum: STAY_CODES }) code: StayCode;
  @ApiProperty({ description: 'Why it was not moved, in words' }) reason: string;
}

export class MoveRunResult {
  @ApiProperty({ type: [MovedCase] }) moved: MovedCase[];
  @ApiProperty({ type: [StayedCase] }) stayed: StayedCase[];
}
