// The node build's `browser-launch` entry: what scripts/start.js loads first, to launch Chromium before its checks.
// It shares its chunk with browser-host.js, so the launch it makes is the one start.ts takes (takeEarlyChromium).
export { dropEarlyChromium, launchChromiumEarly } from './chromium';
