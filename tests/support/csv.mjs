// CSV for the tests that read the page's and the command line's tables.

// RFC 4180 text -> rows of fields (quoted fields may hold commas, doubled quotes and line breaks).
export function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"' && field === '' && text[i - 1] !== '"') {
      let end = i + 1;
      for (; end < text.length; end++) {
        if (text[end] === '"' && text[end + 1] === '"') end++;
        else if (text[end] === '"') break;
      }
      field = text.slice(i + 1, end).replaceAll('""', '"');
      i = end;
    } else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || (c === '\r' && text[i + 1] === '\n')) {  // CRLF (the page's) or LF
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      if (c === '\r') i++;
    } else {
      field += c;
    }
  }
  return rows;
}
