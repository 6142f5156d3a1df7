// The pets function as CDK bundled it into its asset folder.
const pets = [{ id: '1', name: 'Tom' }];
exports.handler = async (event) => {
  const json = (statusCode, body) => ({ statusCode, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  if (event.resource === '/pets') return json(200, pets);
  const pet = pets.find((p) => p.id === event.pathParameters.petId);
  return pet ? json(200, pet) : json(404, { message: `${process.env.GREETING}: no pet ${event.pathParameters.petId}` });
};
