declare namespace Cloudflare {
  interface Env {
    FORM_CACHE_TTL_SECONDS?: string;
    LIBSQL_AUTH_TOKEN?: string;
    ADMIN_TOKEN?: string;
    EMAIL_API_URL?: string;
    EMAIL_API_KEY?: string;
    EMAIL_FROM?: string;
  }
}
