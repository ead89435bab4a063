/**
 * What people may type that could break a post: YAML, Markdown, HTML, Liquid and kramdown syntax, entities,
 * emoji, combining characters and right-to-left text. Each must come out of the post as typed.
 */
export const NASTY = [
  `Quotes "double" and 'single': colon # hash`,
  '*stars* and _underscores_ and **bold** and snake_case_name',
  '[brackets](https://evil.example) and ![image](https://evil.example/x.png)',
  '`backticks` and ```fences```',
  '<script>alert(1)</script> and <b>bold</b> and <!-- comment -->',
  '{{ site.title }} and {% include evil.html %} and {{page.title}}',
  '{: .kramdown-attribute} and {::comment}',
  '# looks like a heading',
  '- looks like a list item',
  '+ plus item',
  '1. looks like an ordered item',
  '2) also ordered',
  '> looks like a quote',
  '| looks | like | a table |',
  '~~strike~~ and $$x^2$$ maths',
  '&copy; &amp; AT&T &#169;',
  'back\\slash and \\* escaped and a trailing backslash \\',
  ': looks like a definition',
  '=== setext underline',
  'Café 🎉 e\u0301 עברית مرحبا 中文',
  'a <https://autolink.example> and mail <me@example.com>',
  'https://bare.example/path_with_underscores',
];
