import { Kind, parse, type FieldNode, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { selectionSetGraphQL, selectionSetList, unaliased } from '../../../local/appsync/graphql/selection-set.ts';

function rootField(source: string) {
  const document = parse(source);
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  const fragments = Object.fromEntries(
    document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
  );
  return { field: operation.selectionSet.selections[0] as FieldNode, fragments };
}

describe('selectionSetList', () => {
  it('lists nested paths with / and aliased fields only under their alias (the AWS docs example)', () => {
    const { field, fragments } = rootField(`
      query { getPost(id: "1") { postId title secondTitle: title content author { authorId name } secondAuthor: author { authorId }
        ... on Post { inlineFragComments: comments { id } } ...PostFragment } }
      fragment PostFragment on Post { postFragComments: comments { id } }`);
    expect(selectionSetList([field], fragments)).toEqual([
      'postId', 'title', 'secondTitle', 'content', 'author', 'author/authorId', 'author/name', 'secondAuthor', 'secondAuthor/authorId',
      'inlineFragComments', 'inlineFragComments/id', 'postFragComments', 'postFragComments/id',
    ]);
  });

  it('prints the selection set as GraphQL', () => {
    const { field } = rootField('{ market(id: "m") { id name } }');
    expect(selectionSetGraphQL([field])).toBe('{\n  id\n  name\n}');
  });
});

describe('unaliased', () => {
  it('keys a mutation result by field names, through fragments and lists', () => {
    const { field, fragments } = rootField('mutation { p: publish { mid: marketId selections { sid: selectionId } ...F } } fragment F on X { v: version }');
    expect(unaliased({ mid: 'm1', selections: [{ sid: 's1' }], v: 3 }, field.selectionSet, fragments)).toEqual({ marketId: 'm1', selections: [{ selectionId: 's1' }], version: 3 });
  });
});
