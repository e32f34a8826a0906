// Canary studies for PACS tests and the bench, made with DCMTK's dump2dcm: distinctive patient strings (so
// a privacy scan can look for them), a chosen study date and UID, and random pixel data of a given size.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface CanarySpec {
  dir: string;
  studyUid: string;
  studyDate: string;
  patientName: string;
  patientId: string;
  instances: number;
  /** Rows = columns of a 16-bit image; 256 gives 128 KiB of pixels per instance. */
  size?: number;
}

let seq = 0;

/** Writes the canary's instances as DICOM files and returns their bytes. */
export function makeCanaryStudy(spec: CanarySpec): Buffer[] {
  const size = spec.size ?? 256;
  const out: Buffer[] = [];
  const root = `1.2.826.0.1.3680043.9.7433.${process.pid}.${Date.now() % 1e9}`;
  for (let i = 0; i < spec.instances; i++) {
    seq += 1;
    const px = join(spec.dir, `px-${seq}.raw`);
    writeFileSync(px, randomBytes(size * size * 2));
    const dump = join(spec.dir, `d-${seq}.txt`);
    writeFileSync(dump, [
      '(0008,0016) UI [1.2.840.10008.5.1.4.1.1.7]',
      `(0008,0018) UI [${root}.${seq}.1]`,
      `(0008,0020) DA [${spec.studyDate}]`,
      '(0008,0060) CS [OT]',
      `(0010,0010) PN [${spec.patientName}]`,
      `(0010,0020) LO [${spec.patientId}]`,
      `(0020,000d) UI [${spec.studyUid}]`,
      `(0020,000e) UI [${spec.studyUid}.1]`,
      `(0020,0013) IS [${i + 1}]`,
      '(0028,0002) US 1', '(0028,0004) CS [MONOCHROME2]',
      `(0028,0010) US ${size}`, `(0028,0011) US ${size}`,
      '(0028,0100) US 16', '(0028,0101) US 16', '(0028,0102) US 15', '(0028,0103) US 0',
      `(7fe0,0010) OW =${px}`,
      '',
    ].join('\n'));
    const file = join(spec.dir, `i-${seq}.dcm`);
    execFileSync('/usr/bin/dump2dcm', ['--write-xfer-little', dump, file]);
    out.push(readFileSync(file));
  }
  return out;
}

/** YYYYMMDD of a date `daysAgo` days before now (UTC). */
export function dicomDate(daysAgo: number): string {
  return new Date(Date.now() - daysAgo * 86400000).toISOString().slice(0, 10).replace(/-/g, '');
}
