// Type-checked (`tsc --strict --noEmit`) against the types openapi-typescript generates from
// docs/openapi.yaml into api.d.ts (.ci/clients.sh copies this file beside them).
import type { components, operations } from "./api";

type Schemas = components["schemas"];

// The JSON body of an operation's success answer (200 or 201), or `never` when it has none.
type Json<R> = R extends { content: { "application/json": infer B } } ? B : never;
type Success<O> = O extends { responses: infer R }
  ? (R extends { 200: infer A } ? Json<A> : never) | (R extends { 201: infer A } ? Json<A> : never)
  : never;
// `GET /openapi.yaml` answers YAML: the one operation without a JSON answer.
type Api = Exclude<keyof operations, "get-openapi-description">;
// The operations whose success answer is missing or untyped (`unknown`): there must be none.
type Untyped = {
  [K in Api]: [Success<operations[K]>] extends [never] ? K : unknown extends Success<operations[K]> ? K : never;
}[Api];
const everyAnswerTyped: [Untyped] extends [never] ? true : Untyped = true;

// Each answer's `statusCode` is its status, as a literal type.
const created: Schemas["CreateResponse"]["statusCode"] = 201;
const refused: Schemas["BadRequestError"]["statusCode"] = 400;

function sessionId(answer: Success<operations["create-sourcing-session"]>): string {
  return answer.data.session._id;
}

function firstLinkedInUrl(answer: Schemas["ProfilesResponse"]): string | undefined {
  return answer.data.docs[0]?.profile?.linkedin_profile_url;
}

// Autocomplete's two documented forms, told apart by the answer's shape.
function suggestions(answer: Schemas["AutocompleteResponse"]): string[] {
  const list = Array.isArray(answer) ? answer : answer.data;
  return list.map((s) => (typeof s === "string" ? s : JSON.stringify(s)));
}

function problems(answer: Schemas["BadRequestError"]): string[] {
  return answer.errors.map((p) => `${p.path}: ${p.kind}: ${p.message}`);
}

export { everyAnswerTyped, created, refused, sessionId, firstLinkedInUrl, suggestions, problems };
