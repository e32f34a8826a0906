// Scripted faults with a physical story. Each fault has an onset and a failure time; in between its
// progress p runs 0 → 1, and the physics in physics.ts is written so that at p = 1 the fault's failure
// metric crosses its critical limit from the metric catalog. That is what the ground truth records.
import type { Static } from '@sinclair/typebox';
import type { Modality } from '../../contracts/index.js';
import { FAULT_KIND_NAMES, type FaultKindSchema } from '../../contracts/ground-truth.js';

export type FaultKind = Static<typeof FaultKindSchema>;

export interface FaultDefinition {
  kind: FaultKind;
  modalities: readonly Modality[];
  /** The metric whose critical limit defines the failure, and how. */
  failureMetric: string;
  failureCondition: string;
  /** Vendor-style error code the scanner reports when it fails. */
  errorCode: string;
  defaultHoursToFailure: number;
  story: string;
}

export const FAULTS: Readonly<Record<FaultKind, FaultDefinition>> = {
  helium_leak: {
    kind: 'helium_leak', modalities: ['mri'], failureMetric: 'helium_level_pct', failureCondition: 'helium_level_pct < 50', errorCode: 'MR-CRYO-101', defaultHoursToFailure: 96,
    story: 'A cryostat seal leaks: boil-off jumps, helium pressure sags slightly and the helium level falls steadily until the quench-risk level (50 %).',
  },
  coldhead_failure: {
    kind: 'coldhead_failure', modalities: ['mri'], failureMetric: 'coldhead_temp_k', failureCondition: 'coldhead_temp_k > 6', errorCode: 'MR-CRYO-207', defaultHoursToFailure: 72,
    story: 'The cryocooler cold head wears out: its second stage warms (accelerating), the shield follows, helium boils off (boil-off and vessel pressure rise) and the level starts to fall.',
  },
  chiller_failure: {
    kind: 'chiller_failure', modalities: ['mri', 'ct', 'petct'], failureMetric: 'chiller_water_temp_c', failureCondition: 'chiller_water_temp_c > 26', errorCode: 'SYS-COOL-310', defaultHoursToFailure: 12,
    story: 'The site chiller loses capacity: water flow drops and water temperature climbs; gradient coils (MRI) and tube / detector (CT) run hotter. Past failure the MRI compressor trips and the cold head starts warming.',
  },
  gradient_amp_drift: {
    kind: 'gradient_amp_drift', modalities: ['mri'], failureMetric: 'gradient_amp_drift_pct', failureCondition: '|gradient_amp_drift_pct| > 3', errorCode: 'MR-GRAD-412', defaultHoursToFailure: 240,
    story: 'A gradient amplifier output stage degrades: its calibration drifts slowly then faster (geometric distortion), most visibly under exam load.',
  },
  tube_ageing: {
    kind: 'tube_ageing', modalities: ['ct', 'petct'], failureMetric: 'arc_count', failureCondition: 'arc_count > 8 (per hour)', errorCode: 'CT-TUBE-520', defaultHoursToFailure: 336,
    story: 'The X-ray tube ages (filament evaporation, gas in the insert): high-voltage arcs become more frequent, growing roughly cubically, and the tube runs warmer and cools slower.',
  },
  bearing_wear: {
    kind: 'bearing_wear', modalities: ['ct', 'petct'], failureMetric: 'vibration_mm_s', failureCondition: 'vibration_mm_s > 7', errorCode: 'CT-GANT-630', defaultHoursToFailure: 504,
    story: 'The gantry main bearing wears: vibration velocity rises slowly then sharply, and rotation time lengthens as the drive compensates.',
  },
};

export const FAULT_KINDS: readonly FaultKind[] = FAULT_KIND_NAMES;

export interface ActiveFault { kind: FaultKind; onsetMs: number; failureMs: number }

/** 0 at onset, 1 at failure, and growing (bounded) past it: a failed part keeps getting worse. */
export function progress(f: ActiveFault, now: number): number {
  if (now <= f.onsetMs) return 0;
  return Math.min(1.5, (now - f.onsetMs) / Math.max(1, f.failureMs - f.onsetMs));
}
