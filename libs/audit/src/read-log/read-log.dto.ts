import { ApiProperty } from '@nestjs/swagger';
import { READ_PARTS } from '../record-reads/read-entry';

export class CaseReadView {
  @ApiProperty() userId: string;
  @ApiProperty({ description: 'Their name now' }) name: string;
  @ApiProperty({ enum: ['caseworker', 'mediator', 'administrator'], description: 'Their role when they read it' }) role: string;
  @ApiProperty({ format: 'date-time' }) at: string;
  @ApiProperty({ enum: READ_PARTS, description: 'Which part of the case' }) what: string;
  @ApiProperty({ enum: ['page', 'api'] }) via: string;
  @ApiProperty({ example: 'GET' }) method: string;
  @ApiProperty({ description: 'The answer they got (a 404 is a refusal)' }) status: number;
}

export class CaseReadsPage {
  @ApiProperty({ type: [CaseReadView], description: 'Newest first' }) reads: CaseReadView[];
  @ApiProperty() total: number;
  @ApiProperty() page: number;
  @ApiProperty() pages: number;
}

export class PersonCaseReadView {
  @ApiProperty() caseId: string;
  @ApiProperty({ example: 'CB-2026-00042' }) reference: string;
  @ApiProperty() title: string;
  @ApiProperty({ format: 'date-time' }) firstAt: string;
  @ApiProperty({ format: 'date-time' }) lastAt: string;
  @ApiProperty({ description: 'Requests answered' }) reads: number;
  @ApiProperty({ description: 'Requests refused' }) refused: number;
}

export class PersonReadsPage {
  @ApiProperty({ type: [PersonCaseReadView], description: 'The most recently read first' }) cases: PersonCaseReadView[];
  @ApiProperty() total: number;
  @ApiProperty() page: number;
  @ApiProperty() pages: number;
}

export class StaffOpeningView {
  @ApiProperty({ enum: ['caseworker', 'mediator', 'administrator'] }) role: string;
  @ApiProperty({ format: 'date', description: 'The day, in England' }) day: string;
  @ApiProperty({ example: 'A caseworker opened this case on 3 December 2026.' }) sentence: string;
}
