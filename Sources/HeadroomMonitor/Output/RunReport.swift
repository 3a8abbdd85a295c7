/// `--report run.html`: the chart and the summary in one self-contained page.
public enum RunReport {
    public static func html(command: String, summary: WatchSummary, chart: String) -> String {
        let rows = summary.lines.map { "<tr><th>\(SVG.escape($0.label))</th><td>\(SVG.escape($0.value))</td></tr>" }
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <title>headroom watch: \(SVG.escape(command))</title>
            <style>
            body { font-family: Helvetica, Arial, sans-serif; margin: 24px; color: #222; }
            h1 { font-size: 18px; } code { background: #f3f3f3; padding: 2px 4px; }
            table { border-collapse: collapse; margin: 16px 0; }
            th { text-align: left; padding: 4px 16px 4px 0; font-weight: 600; } td { padding: 4px 0; }
            </style>
            </head>
            <body>
            <h1>headroom watch</h1>
            <p><code>\(SVG.escape(command))</code></p>
            <table>
            \(rows.joined(separator: "\n"))
            </table>
            \(chart)
            </body>
            </html>

            """
    }
}
