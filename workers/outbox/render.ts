export interface TemplateVars {
  name: string | null;
  repName: string | null;
  form: string | null;
}

/**
 * `{name}`, `{rep_name}`, `{form}` → values; rendered at send time so a follow-up names the rep who owns
 * the lead by then. Missing values read naturally ("Hi there", "our team").
 */
export function renderTemplate(text: string, vars: TemplateVars): string {
  const values: Record<string, string> = {
    name: vars.name?.trim() || "there",
    rep_name: vars.repName?.trim() || "our team",
    form: vars.form?.trim() || "our website",
  };
  return text.replace(/\{(name|rep_name|form)\}/g, (_, key: string) => values[key]!);
}
