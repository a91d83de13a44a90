/**
 * The response serializer of a route whose body the domain builds field by field from typed database rows (toUser,
 * statusCounts): JSON.stringify alone. The route's zod schema still documents and types the response, but is not
 * checked against every field on each request (a third of the service's time on a 50-user page, an eighth of a
 * status counts request's); the routes' tests check the bodies against the schemas instead.
 */
export const builtFromRows = () => (data: unknown) => JSON.stringify(data);
