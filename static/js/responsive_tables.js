/* Lists on a phone: every data table with a header becomes a stack of cards
   below 640 px (static/css/archive.css, .data-table--cards). Each cell gets
   its column's name in data-label (copied from the header, colspans
   counted), which the CSS shows before the cell's content. A cell that
   already has a data-label keeps it; a cell across columns gets none. */
(function () {
  "use strict";

  function each(list, fn) { Array.prototype.forEach.call(list, fn); }

  function columnNames(table) {
    var head = table.tHead;
    if (!head || !head.rows.length) { return null; }
    var names = [];
    each(head.rows[head.rows.length - 1].cells, function (cell) {
      var text = cell.textContent.replace(/\s+/g, " ").trim();
      for (var n = 0; n < (cell.colSpan || 1); n += 1) { names.push(text); }
    });
    return names;
  }

  function label(table) {
    var names = columnNames(table);
    if (!names) { return; }
    each(table.tBodies, function (body) {
      each(body.rows, function (row) {
        var column = 0;
        each(row.cells, function (cell) {
          // A cell across several columns (an empty list's message) is no column's value.
          if (!cell.hasAttribute("data-label") && cell.colSpan === 1 && names[column]) {
            cell.setAttribute("data-label", names[column]);
          }
          column += cell.colSpan || 1;
        });
      });
    });
    table.classList.add("data-table--cards");
  }

  function labelAll() { each(document.querySelectorAll("table.data-table"), label); }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", labelAll);
  } else {
    labelAll();
  }
}());
