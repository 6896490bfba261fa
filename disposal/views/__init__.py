"""The disposal screens (issue 12 points 1, 2, 3, 5), thin views calling
disposal.services:

- appraisal.py   the year-end appraisal: what is due, what is kept and why,
                 onto a list with a proposal (R-DISP-2)
- lists.py       the lists' index, a new list, a list's page, its opinion,
                 submitting and returning
- items.py       records added by archive number, weeded from their page
                 (R-DISP-1), proposals changed, items struck off
- decisions.py   approving and executing behind confirmation pages, and the
                 record of the destruction (R-DISP-3)
- witnesses.py   each witness's confirmation (R-DISP-3)
- panels.py      the inbox, the home-page panel and the record-page panel

The holds screens (views_holds.py) and the registers (views_registers.py)
are beside this package."""
