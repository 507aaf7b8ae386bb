// The running timecode burnt into every frame: HH:MM:SS:FF, FF being the frame within the second
// (00:00:03:12 is frame 84 at 24 fps). Frame rates above 100 get as many frame digits as they need.

export function formatTimecode(frameIndex: number, fps: number): string {
  const seconds = Math.floor(frameIndex / fps);
  const frame = frameIndex % fps;
  const pad = (value: number, digits = 2) => String(value).padStart(digits, '0');
  const frameDigits = Math.max(2, String(fps - 1).length);
  return `${pad(Math.floor(seconds / 3600))}:${pad(Math.floor(seconds / 60) % 60)}:${pad(seconds % 60)}:${pad(frame, frameDigits)}`;
}
