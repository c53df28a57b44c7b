// The RDF libraries of the CASE/UCO conformance test ship no types.
declare module 'jsonld';
declare module 'n3';
declare module 'rdf-validate-shacl';
