/**
 * A parsed JSON body as tests read it, field by field (`res.json.data[0].id`). Tests that want the compiler to
 * check a shape pass it: `call<{ data: Lead[] }>(…)`. One definition for the workerd and the browser helpers.
 */
export type ResponseJson = any;
