import type { TargetProfile } from '../profile/index.js';

/**
 * The URL a client opens. A WebSocket stream's is the target's as given; an
 * SSE stream is an HTTP GET (ws:// and wss:// name its http:// and https://
 * too, so the bundled simulator's URL serves both) whose channels, when the
 * profile says so, are chosen in the query (`sse.channelsParam`).
 *   sse, channelsParam topics, [a, b]: ws://h:1/s -> http://h:1/s?topics=a%2Cb
 */
export function streamUrl(url: string, profile: TargetProfile, channels: readonly string[]): string {
  if (profile.transport !== 'sse') return url;
  const u = new URL(url);
  if (u.protocol === 'ws:') u.protocol = 'http:';
  else if (u.protocol === 'wss:') u.protocol = 'https:';
  const param = profile.sse?.channelsParam;
  if (param !== undefined && channels.length > 0) u.searchParams.set(param, channels.join(','));
  return u.toString();
}
