/**
 * The browser stack's ADMIN_TOKEN: its files create many workspaces from one address, which open sign-up
 * limits to 10 an hour; the operator's token is not limited.
 */
export const BROWSER_ADMIN_TOKEN = "browser-tests-operator-token-0001";
