/**
 * Name of the HttpOnly, SameSite=Strict cookie that carries a browser session's opaque token
 * (DESIGN.md "HTTP API"). One constant so the session code and the OpenAPI document agree.
 */
export const SESSION_COOKIE_NAME = 'medvault_session';
