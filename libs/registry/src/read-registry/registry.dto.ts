import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { CommitmentRule } from '../rules/commitment-rule';

export class CompactSummary {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ['national', 'local'] }) scope: 'national' | 'local';
  @ApiPropertyOptional({ nullable: true }) area: string | null;
  @ApiPropertyOptional({ nullable: true, example: '2010-12-15' }) adoptedOn: string | null;
  @ApiProperty({ enum: ['draft', 'active', 'under_review', 'archived'] }) status: string;
  @ApiPropertyOptional({ nullable: true }) sourceUrl: string | null;
  @ApiProperty() commitmentCount: number;
}

export class CommitmentView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: '2.4' }) reference: string;
  @ApiPropertyOptional({ nullable: true }) sectionCode: string | null;
  @ApiProperty() text: string;
  @ApiProperty({ enum: ['public', 'voluntary', 'both'] }) binds: string;
  @ApiProperty({ enum: ['official', 'summary'], description: "'summary' where the text is not the Compact's official wording" }) wording: string;
  @ApiPropertyOptional({ nullable: true, description: 'A checkable rule, as data' }) rule: CommitmentRule | null;
  @ApiProperty({ description: 'Facts a report may give for this commitment to be checked', type: [String] }) factsChecked: string[];
}

export class SectionView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() code: string;
  @ApiProperty() title: string;
  @ApiProperty({ enum: ['outcome', 'code_of_practice', 'undertakings', 'section'] }) kind: string;
  @ApiProperty({ enum: ['official', 'summary'] }) wording: string;
}

export class LeadContactView {
  @ApiProperty({ enum: ['voluntary', 'public'] }) sector: string;
  @ApiProperty() name: string;
  @ApiPropertyOptional({ nullable: true }) email: string | null;
  @ApiPropertyOptional({ nullable: true }) phone: string | null;
  @ApiPropertyOptional({ nullable: true }) organisation: { id: string; name: string } | null;
}

export class CompactDetail extends CompactSummary {
  @ApiPropertyOptional({ nullable: true }) summary: string | null;
  @ApiProperty({ type: [SectionView] }) sections: SectionView[];
  @ApiProperty({ type: [CommitmentView] }) commitments: CommitmentView[];
  @ApiProperty({ type: [LeadContactView] }) leadContacts: LeadContactView[];
  @ApiProperty() signatoryCount: number;
}

export class OrganisationView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ['voluntary', 'public'] }) sector: string;
  @ApiPropertyOptional({ nullable: true, enum: ['council', 'nhs', 'police', 'fire_rescue', 'pcc', 'lep', 'government_department', 'other'] }) bodyType: string | null;
  @ApiPropertyOptional({ nullable: true }) bodyTypeLabel: string | null;
  @ApiPropertyOptional({ nullable: true }) area: string | null;
  @ApiPropertyOptional({ nullable: true }) charityNumber: string | null;
  @ApiPropertyOptional({ nullable: true }) website: string | null;
}

export class SignatoryView {
  @ApiProperty({ type: OrganisationView }) organisation: OrganisationView;
  @ApiPropertyOptional({ nullable: true }) signedOn: string | null;
}

export class ReportFactView {
  @ApiProperty() name: string;
  @ApiProperty({ enum: ['date', 'boolean'] }) type: string;
  @ApiProperty() label: string;
}
