// The cut's timeline as OpenTimelineIO JSON (`<name>.otio`), written by hand: there is no OTIO
// library on npm. DaVinci Resolve, Premiere (via adapters), Avid and others import it, so an editor
// can take the storyboard into their tools. Pure.
//
// Shape: Timeline.1 → tracks: Stack.1 → one Track.1 (kind "Video") → one Clip.2 per shot, in
// storyboard order, each with its source_range (the whole shot) and one ExternalReference.1 (under
// media_references["DEFAULT_MEDIA"], active_media_reference_key "DEFAULT_MEDIA") whose target_url is
// the shot's video as a file:// URL and whose available_range is the whole file. Times are
// RationalTime.1 at the shot's frame rate, in frames. The shot's id, prompt and seed are clip metadata
// under "bach_render" (OTIO's convention: one namespace key per tool). Checked against the schema in
// test/unit/cut/otio.schema.json.

export interface OtioClip {
  id: string;
  prompt: string | null;
  seed: number;
  /** Root-relative path of the shot's video (kept in metadata, beside the absolute target_url). */
  output: string;
  /** file:// URL of the shot's video. */
  targetUrl: string;
  fps: number;
  frameCount: number;
}

export interface OtioTimeline {
  name: string;
  clips: OtioClip[];
  /** Root-relative path of the assembled film, for the timeline's metadata. */
  film: string;
}

const DEFAULT_MEDIA = 'DEFAULT_MEDIA';

export function createOtio(timeline: OtioTimeline): string {
  const document = {
    OTIO_SCHEMA: 'Timeline.1',
    metadata: { bach_render: { film: timeline.film } },
    name: timeline.name,
    global_start_time: null,
    tracks: {
      OTIO_SCHEMA: 'Stack.1',
      metadata: {},
      name: 'tracks',
      source_range: null,
      effects: [],
      markers: [],
      enabled: true,
      children: [
        {
          OTIO_SCHEMA: 'Track.1',
          metadata: {},
          name: 'Video 1',
          source_range: null,
          effects: [],
          markers: [],
          enabled: true,
          kind: 'Video',
          children: timeline.clips.map(createClip),
        },
      ],
    },
  };
  return `${JSON.stringify(document, null, 4)}\n`;
}

function createClip(clip: OtioClip) {
  const range = timeRange(clip.fps, clip.frameCount);
  return {
    OTIO_SCHEMA: 'Clip.2',
    metadata: { bach_render: { id: clip.id, prompt: clip.prompt, seed: clip.seed, output: clip.output } },
    name: clip.id,
    source_range: range,
    effects: [],
    markers: [],
    enabled: true,
    media_references: {
      [DEFAULT_MEDIA]: {
        OTIO_SCHEMA: 'ExternalReference.1',
        metadata: {},
        name: clip.output.slice(clip.output.lastIndexOf('/') + 1),
        available_range: timeRange(clip.fps, clip.frameCount),
        available_image_bounds: null,
        target_url: clip.targetUrl,
      },
    },
    active_media_reference_key: DEFAULT_MEDIA,
  };
}

function timeRange(rate: number, frames: number) {
  return {
    OTIO_SCHEMA: 'TimeRange.1',
    start_time: { OTIO_SCHEMA: 'RationalTime.1', rate, value: 0 },
    duration: { OTIO_SCHEMA: 'RationalTime.1', rate, value: frames },
  };
}
