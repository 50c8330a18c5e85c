/**
 * The zoom at which the graph's smallest text (12 px) renders at 10 px or more:
 * below it labels are not legible, so a graph too big to fit opens at this zoom
 * and is panned (drag, scroll, the minimap) instead of shrunk.
 */
export const READABLE_ZOOM = 0.85;
/** Fitting a small graph never enlarges it past this. */
const MAX_FIT_ZOOM = 1.25;
const PAD = 16;

export interface Viewport { x: number; y: number; zoom: number }

/**
 * Where a graph of `graph` size opens in a box of `box` size: fitted whole and
 * centred when that keeps labels legible; otherwise at READABLE_ZOOM from its
 * top-left corner (where a left-to-right chain starts), centred on any axis
 * that still fits.
 */
export function initialViewport(graph: { width: number; height: number }, box: { width: number; height: number }): Viewport {
  const fit = Math.min((box.width - 2 * PAD) / graph.width, (box.height - 2 * PAD) / graph.height, MAX_FIT_ZOOM);
  const zoom = Math.max(fit, READABLE_ZOOM);
  const place = (size: number, room: number) => (size * zoom <= room - 2 * PAD ? (room - size * zoom) / 2 : PAD);
  return { x: place(graph.width, box.width), y: place(graph.height, box.height), zoom };
}

/** A box tall enough to show a graph at READABLE_ZOOM, between `min` and `max` pixels. */
export function boxHeight(graphHeight: number, min: number, max: number): number {
  return Math.round(Math.min(max, Math.max(min, graphHeight * READABLE_ZOOM + 2 * PAD)));
}
