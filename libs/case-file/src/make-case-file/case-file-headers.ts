/**
 * The answer's headers, the same for the API and the pages: a download (never shown inline), not
 * sniffed, and not kept in shared caches, as the case file holds personal information.
 */
export function caseFileHeaders(kind: 'pdf' | 'zip', fileName: string, length?: number): Record<string, string> {
  return {
    'Content-Type': kind === 'pdf' ? 'application/pdf' : 'application/zip',
    'Content-Disposition': `attachment; filename="${fileName.replace(/[^A-Za-z0-9._-]/g, '_')}"`,
    ...(length !== undefined ? { 'Content-Length': String(length) } : {}),
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'private, no-store',
  };
}
