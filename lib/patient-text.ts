// Scrubs free text that devices send (status reasons, event details) of anything that looks like a patient
// identifier, before it is stored or logged. Gantry promises never to store patient data, and a device cannot
// be trusted to keep technical text technical, so the patterns err on the side of redacting: a DICOM person
// name (FAMILY^GIVEN), a run of 6 or more digits (MRN, accession, patient id), a date that could be a date
// of birth, and words that announce a name or number ("patient", "MRN", "DOB", "name:").
export const REDACTED = '[redacted]';

const PATTERNS: readonly RegExp[] = [
  // DICOM PN: components separated by ^ (FAMILY^GIVEN^MIDDLE^PREFIX^SUFFIX), letters of any script.
  /[\p{L}'.-]*\^[\p{L}'.^ -]*/gu,
  // Dates with a 19xx/20xx year: 1990-01-31, 31.01.1990, 01/31/1990, 19900131 (a version like 2.3.14 is not one).
  /\b(?:19|20)\d{2}[-/.]?\d{1,2}[-/.]?\d{1,2}\b/g,
  /\b\d{1,2}[-/.]\d{1,2}[-/.](?:19|20)\d{2}\b/g,
  // MRN / patient id / accession number: 6+ digits, possibly with a letter prefix or separators.
  /\b[A-Za-z]{0,4}[-#:]?\d[\d -]{4,}\d\b/g,
  // A keyword and whatever follows it up to the next punctuation: "Patient DOE JOHN", "MRN: ...".
  /\b(?:patient|pat|pt|mrn|dob|birth|born|name|surname|ssn|accession|pid)\b[^,;.()]*/giu,
];

/** Returns the text with patient-like parts replaced, and whether anything was replaced. */
export function scrubPatientText(text: string): { text: string; redacted: boolean } {
  let out = text;
  for (const re of PATTERNS) out = out.replace(re, REDACTED);
  // Collapse runs of markers left by overlapping patterns, so the result stays readable.
  out = out.replace(/(?:\[redacted\]\s*){2,}/g, `${REDACTED} `).trim();
  return { text: out, redacted: out !== text };
}

/** True when the text contains something scrubPatientText would remove (used by scans in tests). */
export function looksLikePatientData(text: string): boolean {
  return scrubPatientText(text).redacted;
}
