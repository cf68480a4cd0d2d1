import { ACCEPTED_TYPES_TEXT, mediaTypeFor, refusalSentence, sniffContent } from '../content/sniff-content';
import { EvidenceTypeRefused } from './upload-refusals';

export type TypeJudgement = { accepted: true; mediaType: string } | { accepted: false; refusal: EvidenceTypeRefused; detected: string };

/**
 * The content checks every document goes through, whichever way it came (an upload, an e-mail's
 * attachment): its type judged from its bytes, and its name made to agree with that type.
 */
export async function judgeType(head: Buffer, path: string, fileName: string): Promise<TypeJudgement> {
  const sniffed = await sniffContent(head, path);
  if (!sniffed.accepted) {
    const refusal = new EvidenceTypeRefused(refusalSentence(fileName || 'The file', sniffed.detected), `is ${sniffed.detected}, which is not accepted. Accepted: ${ACCEPTED_TYPES_TEXT}.`, {
      detected: sniffed.detected,
      accepted: ACCEPTED_TYPES_TEXT,
    });
    return { accepted: false, refusal, detected: sniffed.detected };
  }
  const mediaType = mediaTypeFor(sniffed.type, fileName);
  if (!mediaType) {
    const extensions = Object.keys(sniffed.type.byExtension).map((e) => `.${e}`);
    const endings = extensions.join(' or ');
    const refusal = new EvidenceTypeRefused(
      `${fileName || 'The file'} is ${sniffed.type.label}, but its name does not end in ${endings}. Rename it to end in ${extensions[0]}, or choose the document you meant to add.`,
      `is ${sniffed.type.label} but its name "${fileName}" does not end in ${endings}. Rename it to match what it is, or upload the document you meant to.`,
      { detected: sniffed.type.label, accepted: ACCEPTED_TYPES_TEXT },
    );
    return { accepted: false, refusal, detected: sniffed.type.label };
  }
  return { accepted: true, mediaType };
}
