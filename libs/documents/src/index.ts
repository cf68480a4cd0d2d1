// PDFs and ZIPs made in the process (no browser): the one owner of page layout, fonts and archive writing.
export type { PdfBlock, PdfSpec } from './render-pdf/pdf-spec';
export { renderPdf } from './render-pdf/render-pdf';
export { writeZip, safeEntryName, type ZipEntry } from './write-zip/write-zip';
