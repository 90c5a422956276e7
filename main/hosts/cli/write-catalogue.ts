// The build's template-catalogue entry (out/node/template-catalogue.js): scripts/build.js runs it, in a process of
// its own, once the template files are beside the bundle, and writes what it prints to templates/catalogue.json:
// each template's form (summary and parameters) as the parser makes it, never as an older catalogue says.
import { templateForms, templatesDirectory } from '../../ceremony';
import { templateCatalogue } from './catalogue';

process.stdout.write(`${JSON.stringify(templateCatalogue(templateForms({ fromCatalogue: false }), templatesDirectory()), null, 2)}\n`);
