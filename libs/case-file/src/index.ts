// The case file: everything on a case the caller may see, as one PDF and as a ZIP with the documents.
export * from './case-file.module';
export { MakeCaseFile, LettersSentSource, type CaseFilePdf, type CaseFileZip } from './make-case-file/make-case-file';
export { caseFileHeaders } from './make-case-file/case-file-headers';
export { caseFileSpec, caseFileName, type CaseFileSource, type LetterSentLine } from './make-case-file/case-file-content';
