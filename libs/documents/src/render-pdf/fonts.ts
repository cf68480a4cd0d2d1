import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * The TrueType files every PDF embeds (Liberation Sans, SIL Open Font License; see fonts/LICENSE).
 * pdfkit's built-in Helvetica is only named in the file, never embedded, so a reader without it
 * substitutes another face; an embedded font prints the same everywhere and keeps text selectable.
 * Found by walking up from here, so the compiled (dist/) and test runs both find the checkout's copy.
 */
export interface DocumentFonts {
  regular: string;
  bold: string;
}

let found: DocumentFonts | undefined;

export function documentFonts(from: string = __dirname): DocumentFonts {
  if (found && from === __dirname) return found;
  let dir = from;
  while (!existsSync(join(dir, 'libs', 'documents', 'fonts', 'LiberationSans-Regular.ttf'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`Cannot find libs/documents/fonts above ${from}; run from the project checkout.`);
    dir = parent;
  }
  const folder = join(dir, 'libs', 'documents', 'fonts');
  const fonts = { regular: join(folder, 'LiberationSans-Regular.ttf'), bold: join(folder, 'LiberationSans-Bold.ttf') };
  if (from === __dirname) found = fonts;
  return fonts;
}

/** A parsed TrueType face (fontkit's Font, as pdfkit takes it). */
export interface FontFace {
  layout(...args: unknown[]): unknown;
  hasGlyphForCodePoint(codePoint: number): boolean;
}

let faces: { regular: FontFace; bold: FontFace } | undefined;

/**
 * The faces parsed once per process: parsing a 400 KB TrueType file costs about 150 ms, more than
 * laying out a whole letter, and a parsed face is only read from afterwards, so documents share it.
 * fontkit is reached through pdfkit's own resolution, so it is always the copy pdfkit expects.
 */
export function documentFaces(): { regular: FontFace; bold: FontFace } {
  if (faces) return faces;
  const fontkit = createRequire(require.resolve('pdfkit'))('fontkit') as { create(buffer: Uint8Array): FontFace };
  const files = documentFonts();
  faces = { regular: fontkit.create(readFileSync(files.regular)), bold: fontkit.create(readFileSync(files.bold)) };
  return faces;
}
