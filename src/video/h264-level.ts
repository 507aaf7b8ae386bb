// Choosing level_idc, H.264 Annex A. Our streams are a few kilobytes per second, so only the frame
// size limits (MaxFS, and the width/height bound sqrt(8 * MaxFS) of A.3.1 items f/g) and the
// macroblock rate (MaxMBPS) decide the level; bit rate and CPB limits never bind.

interface LevelLimits {
  levelIdc: number;
  maxMbps: number; // macroblocks per second
  maxFs: number; // macroblocks per frame
}

// Table A-1. Level 1b is skipped (it needs constraint_set3_flag in Baseline and never helps us).
const LEVELS: readonly LevelLimits[] = [
  { levelIdc: 10, maxMbps: 1_485, maxFs: 99 },
  { levelIdc: 11, maxMbps: 3_000, maxFs: 396 },
  { levelIdc: 12, maxMbps: 6_000, maxFs: 396 },
  { levelIdc: 13, maxMbps: 11_880, maxFs: 396 },
  { levelIdc: 20, maxMbps: 11_880, maxFs: 396 },
  { levelIdc: 21, maxMbps: 19_800, maxFs: 792 },
  { levelIdc: 22, maxMbps: 20_250, maxFs: 1_620 },
  { levelIdc: 30, maxMbps: 40_500, maxFs: 1_620 },
  { levelIdc: 31, maxMbps: 108_000, maxFs: 3_600 },
  { levelIdc: 32, maxMbps: 216_000, maxFs: 5_120 },
  { levelIdc: 40, maxMbps: 245_760, maxFs: 8_192 },
  { levelIdc: 41, maxMbps: 245_760, maxFs: 8_192 },
  { levelIdc: 42, maxMbps: 522_240, maxFs: 8_704 },
  { levelIdc: 50, maxMbps: 589_824, maxFs: 22_080 },
  { levelIdc: 51, maxMbps: 983_040, maxFs: 36_864 },
  { levelIdc: 52, maxMbps: 2_073_600, maxFs: 36_864 },
  { levelIdc: 60, maxMbps: 4_177_920, maxFs: 139_264 },
  { levelIdc: 61, maxMbps: 8_355_840, maxFs: 139_264 },
  { levelIdc: 62, maxMbps: 16_711_680, maxFs: 139_264 },
];

/** The smallest level_idc whose limits admit a picture of widthMbs x heightMbs macroblocks at `fps`. */
export function chooseLevelIdc(widthMbs: number, heightMbs: number, fps: number): number {
  const frameMbs = widthMbs * heightMbs;
  for (const level of LEVELS) {
    const maxSide = Math.sqrt(8 * level.maxFs);
    if (frameMbs <= level.maxFs && widthMbs <= maxSide && heightMbs <= maxSide && frameMbs * fps <= level.maxMbps) {
      return level.levelIdc;
    }
  }
  throw new RangeError(
    `${widthMbs * 16}x${heightMbs * 16} at ${fps} fps exceeds every H.264 level (up to 6.2)`,
  );
}
