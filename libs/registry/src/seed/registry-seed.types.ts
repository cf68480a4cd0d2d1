import type { CommitmentRule } from '../rules/commitment-rule';

export type BodyType = 'council' | 'nhs' | 'police' | 'fire_rescue' | 'pcc' | 'lep' | 'government_department' | 'other';
export type Wording = 'official' | 'summary';

/** An organisation in the seed (also the shape of an organisation import row). */
export interface OrganisationDefinition {
  name: string;
  sector: 'voluntary' | 'public';
  /** Public bodies only: council, NHS body or CCG, police, fire and rescue, PCC, LEP, government department, other. */
  bodyType?: BodyType;
  area?: string;
  charityNumber?: string;
  website?: string;
}

export interface SectionDefinition {
  code: string;
  title: string;
  kind: 'outcome' | 'code_of_practice' | 'undertakings' | 'section';
  wording: Wording;
}

export interface CommitmentDefinition {
  /** e.g. "2.4"; unique within its Compact. */
  reference: string;
  /** The code of the section it belongs to. */
  section: string;
  text: string;
  binds: 'public' | 'voluntary' | 'both';
  /** 'summary' where the text is ours, not the Compact's official wording. */
  wording: Wording;
  rule?: CommitmentRule;
}

/**
 * A whole Compact as one document: the shape of the JSON import and of each seeded Compact, so
 * the seed goes through the same checks as an administrator's import.
 */
export interface CompactDefinition {
  name: string;
  scope: 'national' | 'local';
  /** Required for a local Compact, e.g. "Harborough". */
  area?: string;
  /** YYYY-MM-DD */
  adoptedOn?: string;
  status: 'draft' | 'active' | 'under_review' | 'archived';
  sourceUrl?: string;
  summary?: string;
  sections: SectionDefinition[];
  commitments: CommitmentDefinition[];
  /** Organisations by exact name; they must exist (seeded or imported first). */
  signatories?: Array<{ organisation: string; signedOn?: string }>;
  leadContacts?: Array<{ sector: 'voluntary' | 'public'; name: string; email?: string; phone?: string; organisation?: string }>;
}
