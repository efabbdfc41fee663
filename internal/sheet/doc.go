// Package sheet reads the spreadsheets that clerks keep — CSV (UTF-8 or GB 18030, as Excel and
// WPS save them on Chinese Windows) and XLSX workbooks — into text cells that the import readers
// of the domain packages convert, and writes the workbooks the service hands back: import
// templates with drop-down lists, and a refused file with a reason beside each bad row.
//
// It finds the header row below any title rows by matching cells against an import kind's
// alias table (Schema), normalises the common ways of writing a date, and turns the 0-based
// data-row indexes of field errors into the sheet's own row numbers and column headers
// (Positions), so that an error names the place as the clerk sees it in Excel.
//
// It knows no import kind: the alias tables, enumerations and templates belong to the domain
// packages (training, certificate, worker). It must not import gin, gorm or any domain package.
package sheet
