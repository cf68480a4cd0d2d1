// Letters: templates kept by administrators, merge fields from the case, sending and keeping letters on the case.
export {};
