/*
 * OCF meta-data XML from the agent's tables. The output validates against
 * OCF 1.1 and against resource-agents' ra-api-1.dtd (which ocf-tester uses),
 * so it uses nothing that only one of the two accepts.
 */
#include "agent.h"

#include <errno.h>
#include <string.h>

#include "param.h"

static void xml_escaped(FILE *out, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '<':
			fputs("&lt;", out);
			break;
		case '>':
			fputs("&gt;", out);
			break;
		case '&':
			fputs("&amp;", out);
			break;
		case '"':
			fputs("&quot;", out);
			break;
		default:
			fputc(*s, out);
		}
	}
}

static const char *content_type(enum param_type t)
{
	switch (t) {
	case PARAM_INTEGER:
		return "integer";
	case PARAM_BOOLEAN:
		return "boolean";
	case PARAM_STRING:
	default:
		return "string";
	}
}

static void write_param(FILE *out, const struct param_def *p)
{
	fprintf(out, "    <parameter name=\"%s\" required=\"%d\" unique=\"%d\">\n", p->name,
		!!(p->flags & PARAM_REQUIRED), !!(p->flags & PARAM_UNIQUE));
	fputs("      <longdesc lang=\"en\">", out);
	xml_escaped(out, p->longdesc ? p->longdesc : p->shortdesc);
	if (p->choices) {
		fputs(" Allowed values:", out);
		for (unsigned i = 0; p->choices[i]; i++) {
			fputs(i ? ", " : " ", out);
			xml_escaped(out, p->choices[i]);
		}
		fputs(".", out);
	}
	fputs("</longdesc>\n      <shortdesc lang=\"en\">", out);
	xml_escaped(out, p->shortdesc);
	fprintf(out, "</shortdesc>\n      <content type=\"%s\"", content_type(p->type));
	if (p->default_value) {
		fputs(" default=\"", out);
		xml_escaped(out, p->default_value);
		fputs("\"", out);
	}
	fputs("/>\n    </parameter>\n", out);
}

static void write_action(FILE *out, const struct action_def *a)
{
	fprintf(out, "    <action name=\"%s\" timeout=\"%us\"", a->name, a->timeout_s);
	if (a->interval_s)
		fprintf(out, " interval=\"%us\"", a->interval_s);
	if (a->depth >= 0)
		fprintf(out, " depth=\"%d\"", a->depth);
	fputs("/>\n", out);
}

int metadata_write(FILE *out, const struct agent_def *def)
{
	if (!out || !def)
		return -EINVAL;
	fputs("<?xml version=\"1.0\"?>\n"
	      "<!DOCTYPE resource-agent SYSTEM \"ra-api-1.dtd\">\n",
	      out);
	fprintf(out, "<resource-agent name=\"%s\" version=\"%s\">\n", def->name, PACKAGE_VERSION);
	fputs("  <version>1.1</version>\n  <longdesc lang=\"en\">", out);
	xml_escaped(out, def->longdesc);
	fputs("</longdesc>\n  <shortdesc lang=\"en\">", out);
	xml_escaped(out, def->shortdesc);
	fputs("</shortdesc>\n  <parameters>\n", out);
	for (size_t i = 0; i < def->n_params; i++)
		write_param(out, &def->params[i]);
	fputs("  </parameters>\n  <actions>\n", out);
	for (size_t i = 0; i < def->n_actions; i++)
		if (!(def->actions[i].flags & ACTION_HIDDEN))
			write_action(out, &def->actions[i]);
	fputs("  </actions>\n</resource-agent>\n", out);
	/* The XML is smaller than stdio's buffer: only the flush reveals a failed write. */
	if (fflush(out) != 0)
		return negative_errno();
	return ferror(out) ? -EIO : 0;
}
