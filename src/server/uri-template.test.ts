import { describe, expect, it } from 'vitest';
import { compileUriTemplate } from './uri-template.ts';

describe('compileUriTemplate', () => {
  it.each([
    ['test://template/{id}/data', 'test://template/123/data', { id: '123' }],
    ['file:///{+path}', 'file:///a/b/c.txt', { path: 'a/b/c.txt' }],
    ['users://{user}{?fields,limit}', 'users://ann?limit=5', { user: 'ann', limit: '5' }],
    ['notes://{name}', 'notes://hello%20world', { name: 'hello world' }],
  ])('%s matches %s', (template, uri, expected) => {
    expect(compileUriTemplate(template).match(uri)).toEqual(expected);
  });

  it.each([
    ['test://template/{id}/data', 'test://template/1/2/data'],
    ['test://template/{id}/data', 'test://other/1/data'],
  ])('%s does not match %s', (template, uri) => {
    expect(compileUriTemplate(template).match(uri)).toBeUndefined();
  });

  it('rejects an expression it cannot match at registration', () => {
    expect(() => compileUriTemplate('x://{a,b}')).toThrow(TypeError);
  });
});
