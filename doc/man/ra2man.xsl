<?xml version="1.0"?>
<!--
  An OCF agent's meta-data (as `AGENT meta-data` prints it) to a man page in
  section 7, named ocf_exha_<agent> like resource-agents' ocf_heartbeat_*.7.
  Parameters: provider (exha), version (the package's).
  Text from the meta-data is escaped for roff: a backslash becomes \e, and a
  line that would start with "." or "'" (a roff request) is guarded with \&.
-->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
<xsl:output method="text" encoding="UTF-8"/>
<xsl:strip-space elements="*"/>
<xsl:param name="provider" select="'exha'"/>
<xsl:param name="version" select="''"/>

<xsl:variable name="agent" select="/resource-agent/@name"/>
<xsl:variable name="nl" select="'&#10;'"/>

<!-- Backslashes doubled the roff way, in one line. -->
<xsl:template name="esc-backslash">
  <xsl:param name="s"/>
  <xsl:choose>
    <xsl:when test="contains($s, '\')">
      <xsl:value-of select="substring-before($s, '\')"/>
      <xsl:text>\e</xsl:text>
      <xsl:call-template name="esc-backslash">
        <xsl:with-param name="s" select="substring-after($s, '\')"/>
      </xsl:call-template>
    </xsl:when>
    <xsl:otherwise><xsl:value-of select="$s"/></xsl:otherwise>
  </xsl:choose>
</xsl:template>

<!-- One line: guarded when it starts like a request, and escaped. -->
<xsl:template name="esc-line">
  <xsl:param name="s"/>
  <xsl:if test="starts-with($s, '.') or starts-with($s, &quot;'&quot;)">\&amp;</xsl:if>
  <xsl:call-template name="esc-backslash">
    <xsl:with-param name="s" select="$s"/>
  </xsl:call-template>
</xsl:template>

<!-- Text of any length: each line escaped, blank lines kept as paragraph breaks. -->
<xsl:template name="roff">
  <xsl:param name="s"/>
  <xsl:choose>
    <xsl:when test="contains($s, $nl)">
      <xsl:variable name="line" select="substring-before($s, $nl)"/>
      <xsl:choose>
        <xsl:when test="normalize-space($line) = ''"><xsl:text>.sp&#10;</xsl:text></xsl:when>
        <xsl:otherwise>
          <!-- An indented line (a command, an example) stays on a line of its own. -->
          <xsl:if test="starts-with($line, ' ')"><xsl:text>.br&#10;</xsl:text></xsl:if>
          <xsl:call-template name="esc-line"><xsl:with-param name="s" select="$line"/></xsl:call-template>
          <xsl:value-of select="$nl"/>
          <xsl:if test="starts-with($line, ' ')"><xsl:text>.br&#10;</xsl:text></xsl:if>
        </xsl:otherwise>
      </xsl:choose>
      <xsl:call-template name="roff">
        <xsl:with-param name="s" select="substring-after($s, $nl)"/>
      </xsl:call-template>
    </xsl:when>
    <xsl:otherwise>
      <xsl:call-template name="esc-line"><xsl:with-param name="s" select="$s"/></xsl:call-template>
      <xsl:value-of select="$nl"/>
    </xsl:otherwise>
  </xsl:choose>
</xsl:template>

<xsl:template match="/resource-agent">
  <xsl:text>.\" Generated from the meta-data of ocf:</xsl:text>
  <xsl:value-of select="concat($provider, ':', $agent)"/>
  <xsl:text>; do not edit.&#10;</xsl:text>
  <xsl:text>.TH OCF_</xsl:text>
  <xsl:value-of select="translate(concat($provider, '_', $agent), 'abcdefghijklmnopqrstuvwxyz', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ')"/>
  <xsl:text> 7 "" "</xsl:text>
  <xsl:value-of select="concat($provider, ' ', $version)"/>
  <xsl:text>" "OCF resource agents"&#10;</xsl:text>

  <xsl:text>.SH NAME&#10;</xsl:text>
  <xsl:value-of select="concat('ocf_', $provider, '_', $agent)"/>
  <xsl:text> \- </xsl:text>
  <xsl:call-template name="esc-line"><xsl:with-param name="s" select="normalize-space(shortdesc)"/></xsl:call-template>
  <xsl:value-of select="$nl"/>

  <xsl:text>.SH SYNOPSIS&#10;</xsl:text>
  <xsl:text>\fB</xsl:text><xsl:value-of select="$agent"/><xsl:text>\fR [</xsl:text>
  <xsl:for-each select="actions/action[not(@name = preceding-sibling::action/@name)]">
    <xsl:if test="position() > 1"><xsl:text> | </xsl:text></xsl:if>
    <xsl:value-of select="@name"/>
  </xsl:for-each>
  <xsl:text>]&#10;</xsl:text>

  <xsl:text>.SH DESCRIPTION&#10;</xsl:text>
  <xsl:call-template name="roff"><xsl:with-param name="s" select="longdesc"/></xsl:call-template>

  <xsl:text>.SH SUPPORTED PARAMETERS&#10;</xsl:text>
  <xsl:apply-templates select="parameters/parameter"/>

  <xsl:text>.SH SUPPORTED ACTIONS&#10;</xsl:text>
  <xsl:text>The agent's advice for each operation (timeout, interval, OCF_CHECK_LEVEL as depth):&#10;.PP&#10;.nf&#10;</xsl:text>
  <xsl:apply-templates select="actions/action"/>
  <xsl:text>.fi&#10;</xsl:text>

  <xsl:text>.SH EXAMPLE PCS&#10;.nf&#10;</xsl:text>
  <xsl:value-of select="concat('pcs resource create ', $agent, '-1 ocf:', $provider, ':', $agent)"/>
  <xsl:for-each select="parameters/parameter[@required = '1']">
    <xsl:value-of select="concat(' ', @name, '=', translate(@name, 'abcdefghijklmnopqrstuvwxyz_', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ_'))"/>
  </xsl:for-each>
  <xsl:text> \e&#10;  op monitor</xsl:text>
  <xsl:for-each select="actions/action[@name = 'monitor'][1]">
    <xsl:value-of select="concat(' interval=', @interval, ' timeout=', @timeout)"/>
  </xsl:for-each>
  <xsl:text>&#10;.fi&#10;</xsl:text>

  <xsl:text>.SH EXAMPLE CRM SHELL&#10;.nf&#10;</xsl:text>
  <xsl:value-of select="concat('primitive ', $agent, '-1 ocf:', $provider, ':', $agent)"/>
  <xsl:if test="parameters/parameter[@required = '1']">
    <xsl:text> \e&#10;  params</xsl:text>
    <xsl:for-each select="parameters/parameter[@required = '1']">
      <xsl:value-of select="concat(' ', @name, '=', translate(@name, 'abcdefghijklmnopqrstuvwxyz_', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ_'))"/>
    </xsl:for-each>
  </xsl:if>
  <xsl:for-each select="actions/action[@name = 'monitor'][1]">
    <xsl:value-of select="concat(' \e&#10;  op monitor interval=', @interval, ' timeout=', @timeout)"/>
  </xsl:for-each>
  <xsl:text>&#10;.fi&#10;</xsl:text>

  <xsl:text>.SH SEE ALSO&#10;</xsl:text>
  <xsl:text>The administrator's guide, \%admin\-guide.md in /usr/share/doc/exha; </xsl:text>
  <xsl:text>\fBcrm_resource\fR(8) \-\-show\-metadata ocf:</xsl:text>
  <xsl:value-of select="concat($provider, ':', $agent)"/>
  <xsl:text>; \fBpcs\fR(8) resource describe.&#10;</xsl:text>
</xsl:template>

<xsl:template match="parameter">
  <xsl:text>.TP&#10;\fB</xsl:text>
  <xsl:value-of select="@name"/>
  <xsl:text>\fR (</xsl:text>
  <xsl:choose>
    <xsl:when test="@required = '1'">required</xsl:when>
    <xsl:otherwise>optional</xsl:otherwise>
  </xsl:choose>
  <xsl:if test="@unique = '1'">, unique</xsl:if>
  <xsl:value-of select="concat(', ', content/@type)"/>
  <xsl:if test="content/@default">
    <xsl:text>, default \fI</xsl:text>
    <xsl:call-template name="esc-backslash"><xsl:with-param name="s" select="content/@default"/></xsl:call-template>
    <xsl:text>\fR</xsl:text>
  </xsl:if>
  <xsl:text>): </xsl:text>
  <xsl:call-template name="esc-line"><xsl:with-param name="s" select="normalize-space(shortdesc)"/></xsl:call-template>
  <xsl:value-of select="$nl"/>
  <xsl:if test="normalize-space(longdesc) != normalize-space(shortdesc)">
    <xsl:text>.br&#10;</xsl:text>
    <xsl:call-template name="roff"><xsl:with-param name="s" select="longdesc"/></xsl:call-template>
  </xsl:if>
</xsl:template>

<xsl:template match="action">
  <xsl:text>\fB</xsl:text>
  <xsl:value-of select="@name"/>
  <xsl:text>\fR</xsl:text>
  <xsl:if test="@timeout"><xsl:value-of select="concat(' timeout=', @timeout)"/></xsl:if>
  <xsl:if test="@interval"><xsl:value-of select="concat(' interval=', @interval)"/></xsl:if>
  <xsl:if test="@depth"><xsl:value-of select="concat(' depth=', @depth)"/></xsl:if>
  <xsl:if test="@role"><xsl:value-of select="concat(' role=', @role)"/></xsl:if>
  <xsl:value-of select="$nl"/>
</xsl:template>

</xsl:stylesheet>
