// PDFs and ZIPs made in the process (no browser): the one owner of page layout, fonts and archive writing.
export {};
