export { Router, UserFacingError, toApiError, type CallerContext, type HandlerMap, type ChannelHandler } from './router';
