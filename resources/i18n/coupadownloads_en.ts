<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>App</name>
    <message>
        <location filename="../../gui/app.py" line="99"/>
        <source>Something went wrong</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/app.py" line="102"/>
        <source>The details were written to the log. The window keeps working; a run in progress goes on.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Columns</name>
    <message>
        <location filename="../../gui/models.py" line="204"/>
        <source>Worker</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/history_dialog.py" line="51"/>
        <source>Started</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/history_dialog.py" line="52"/>
        <source>Description</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/history_dialog.py" line="53"/>
        <source>Input</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/history_dialog.py" line="54"/>
        <location filename="../../gui/models.py" line="205"/>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/history_dialog.py" line="55"/>
        <source>POs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/history_dialog.py" line="56"/>
        <source>Duration</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/history_dialog.py" line="57"/>
        <source>POs/min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/history_dialog.py" line="58"/>
        <source>Results</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/models.py" line="206"/>
        <source>Current POs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/models.py" line="207"/>
        <location filename="../../gui/results_area.py" line="27"/>
        <source>Supplier</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/models.py" line="208"/>
        <location filename="../../gui/results_area.py" line="28"/>
        <source>Files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/models.py" line="209"/>
        <source>MB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/models.py" line="210"/>
        <source>POs done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/models.py" line="211"/>
        <source>Last error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/results_area.py" line="25"/>
        <source>PO</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/results_area.py" line="26"/>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/results_area.py" line="29"/>
        <source>E-mails</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/history_dialog.py" line="59"/>
        <location filename="../../gui/results_area.py" line="30"/>
        <source>Folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/results_area.py" line="31"/>
        <source>Message</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Destination</name>
    <message>
        <location filename="../../gui/destination.py" line="55"/>
        <source>The destination holds an unfinished run: press Resume to continue it, or choose another folder.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/destination.py" line="59"/>
        <source>The destination already holds a finished run: choose another folder.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/destination.py" line="63"/>
        <source>The destination {folder} can&apos;t be made: {why}.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DropZone</name>
    <message>
        <location filename="../../gui/widgets.py" line="26"/>
        <source>Drop a PO spreadsheet here or</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/widgets.py" line="59"/>
        <source>&amp;Browse…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/widgets.py" line="61"/>
        <source>Choose an .xlsx or .csv file with a PO_NUMBER column</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>HistoryDialog</name>
    <message>
        <location filename="../../gui/history_dialog.py" line="116"/>
        <source>History of runs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/history_dialog.py" line="126"/>
        <source>No runs yet: each run you start is listed here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/history_dialog.py" line="127"/>
        <source>Open &amp;folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/history_dialog.py" line="128"/>
        <source>Open the selected run&apos;s folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/history_dialog.py" line="129"/>
        <source>Open re&amp;port</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/history_dialog.py" line="130"/>
        <source>Open the selected run&apos;s report</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/history_dialog.py" line="131"/>
        <source>&amp;Resume</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/history_dialog.py" line="132"/>
        <source>Continue the selected run where it stopped (finished POs are skipped)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/history_dialog.py" line="135"/>
        <source>Run the selected run&apos;s failed, partial, cancelled and no-access POs again</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>HistoryModel</name>
    <message>
        <location filename="../../gui/history_dialog.py" line="29"/>
        <source>run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/history_dialog.py" line="30"/>
        <source>resume</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/history_dialog.py" line="31"/>
        <source>retry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/history_dialog.py" line="32"/>
        <source>collected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/history_dialog.py" line="35"/>
        <source>finished</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/history_dialog.py" line="36"/>
        <source>cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/history_dialog.py" line="81"/>
        <source>running or stopped abruptly</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>InputArea</name>
    <message>
        <location filename="../../gui/input_area.py" line="71"/>
        <source>1 PO</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/input_area.py" line="73"/>
        <source>{n} POs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/input_area.py" line="76"/>
        <source>1 duplicate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/input_area.py" line="78"/>
        <source>{n} duplicates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/input_area.py" line="80"/>
        <source>{pos} ({invalid} invalid, {duplicates}, {completed} already completed)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/input_area.py" line="114"/>
        <source>The worksheet that holds the POs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/input_area.py" line="120"/>
        <source>The column with the PO numbers (chosen automatically; change it if wrong)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/input_area.py" line="123"/>
        <source>Shee&amp;t:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/input_area.py" line="125"/>
        <source>P&amp;O column:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/input_area.py" line="131"/>
        <source>Show invalid rows…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/input_area.py" line="133"/>
        <source>List the rows that are not PO numbers, and why</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/input_area.py" line="163"/>
        <source>Choose a PO spreadsheet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/input_area.py" line="163"/>
        <source>Spreadsheets (*.xlsx *.xlsm *.csv)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/input_area.py" line="191"/>
        <source>reading…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/input_area.py" line="229"/>
        <source>choose the PO column</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/input_area.py" line="230"/>
        <source>Choose the spreadsheet&apos;s PO column first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/input_area.py" line="241"/>
        <source>Loaded {name}: {counts}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/input_area.py" line="248"/>
        <source>The spreadsheet could not be read: see the message above the settings.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/input_area.py" line="250"/>
        <source>could not be read</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/input_area.py" line="257"/>
        <source>The spreadsheet is being read.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/input_area.py" line="261"/>
        <source>Load a PO spreadsheet first: drop it on the window or press Browse…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/input_area.py" line="276"/>
        <source>Row {number}: {po} — {why}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/input_area.py" line="281"/>
        <source>Invalid rows</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/input_area.py" line="285"/>
        <source>These rows are reported as INVALID and not processed:</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Log</name>
    <message>
        <location filename="../../gui/log_area.py" line="44"/>
        <source>{pending} POs to do with {workers} workers, {done} already done.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/log_area.py" line="46"/>
        <source>{pending} POs to do with {workers} workers.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/log_area.py" line="51"/>
        <source>{done}/{found} files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/log_area.py" line="55"/>
        <source>, {n} e-mail(s) to PDF</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/log_area.py" line="58"/>
        <source>Worker {worker}: {po} {status} ({detail}){message}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/log_area.py" line="63"/>
        <source>Worker {worker}: {message}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/log_area.py" line="67"/>
        <source>Worker {worker} restarted: {reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/log_area.py" line="73"/>
        <source>{po} goes back to the queue: {reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/log_area.py" line="77"/>
        <source>Worker {worker} is signing in ({reason}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/log_area.py" line="81"/>
        <source>Paused: no new PO starts; the files in flight finish and the browsers stay signed in.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/log_area.py" line="85"/>
        <source>Continued.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/log_area.py" line="97"/>
        <source>The run stopped.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/log_area.py" line="101"/>
        <source>The portal asked for a sign-in: press Sign in…, then Resume.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/log_area.py" line="107"/>
        <source>Cancelled: {summary}. Press Resume to continue from here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/log_area.py" line="109"/>
        <source>Finished: {done} POs in {elapsed}. Report saved.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LogPane</name>
    <message>
        <location filename="../../gui/log_area.py" line="134"/>
        <source>Copy dia&amp;gnostics</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/log_area.py" line="137"/>
        <source>Copy the log and this setup to the clipboard, to paste into a support request</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/log_area.py" line="147"/>
        <source>&amp;Log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/log_area.py" line="149"/>
        <source>Show or hide the log</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../gui/main_window.py" line="106"/>
        <location filename="../../gui/second_chances.py" line="128"/>
        <source>folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="109"/>
        <location filename="../../gui/second_chances.py" line="131"/>
        <source>report</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="122"/>
        <source>PO folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="205"/>
        <source>Diagnostics copied to the clipboard.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="210"/>
        <source>The {what} does not exist yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="212"/>
        <source>The system could not open the {what}. Its path, to copy: {path}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="220"/>
        <source>Demo portal running at {url}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="229"/>
        <source>A browser window is opening: sign in there. It closes by itself when you are in.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="240"/>
        <source>Signed in. The workers will reuse this session.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="244"/>
        <source>Sign-in was not completed (the browser was closed or it took too long).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="261"/>
        <source>Drop a PO spreadsheet on the window (or press Browse…) first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="282"/>
        <source>Checking the session on {url}…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="297"/>
        <source>Not started.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="302"/>
        <source>The portal needs you to sign in before the run can start.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="303"/>
        <location filename="../../gui/main_window.py" line="305"/>
        <source>Sign in needed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="305"/>
        <source>Open a browser to sign in now?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="310"/>
        <source>Not started: sign in first (Sign in…).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="317"/>
        <source>Run started again for its failed, partial, cancelled and no-access POs: {folder}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="319"/>
        <source>Run resumed: {folder}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="321"/>
        <source>Run started: {folder}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="334"/>
        <source>Cancelling: workers finish their current file, then stop.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="336"/>
        <source>Stopping…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="392"/>
        <source>A run is in progress: Cancel stops it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="437"/>
        <source>A run is in progress</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="438"/>
        <source>Cancel the run and close? Finished POs are kept; you can Resume later.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="445"/>
        <source>Stopping the workers; the window closes when they are gone…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MemoryMeter</name>
    <message>
        <location filename="../../gui/run_area.py" line="45"/>
        <source>Memory: {gb:.2f} GB (system {used:.0f}% used)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Notifier</name>
    <message>
        <location filename="../../gui/notify.py" line="25"/>
        <source>Sign in needed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/notify.py" line="25"/>
        <source>Run finished</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>OverallProgress</name>
    <message>
        <location filename="../../gui/run_area.py" line="210"/>
        <source>POs finished of the POs in this run&apos;s folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/run_area.py" line="240"/>
        <source>{rate} POs/min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/run_area.py" line="241"/>
        <source>elapsed {time}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/run_area.py" line="244"/>
        <source>ETA {time}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ResultsModel</name>
    <message>
        <location filename="../../gui/results_area.py" line="101"/>
        <source>{n} to PDF</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/results_area.py" line="116"/>
        <source>Double-click to open it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/results_area.py" line="120"/>
        <source>{emails} saved e-mail(s) converted to PDF, {files} file(s) extracted from them</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ResultsPane</name>
    <message>
        <location filename="../../gui/results_area.py" line="181"/>
        <source>Show the POs of one status only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/results_area.py" line="182"/>
        <source>All statuses</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/results_area.py" line="189"/>
        <source>Show:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/results_area.py" line="191"/>
        <source>&lt;b&gt;Results&lt;/b&gt; (double-click a row to open its folder)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RunButtons</name>
    <message>
        <location filename="../../gui/run_area.py" line="51"/>
        <location filename="../../gui/run_area.py" line="119"/>
        <location filename="../../gui/run_area.py" line="172"/>
        <source>&amp;Start</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/run_area.py" line="52"/>
        <source>Checking sign-in…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/run_area.py" line="53"/>
        <source>Signing in…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/run_area.py" line="54"/>
        <source>Running…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/run_area.py" line="58"/>
        <source>Pause</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/run_area.py" line="59"/>
        <source>Continue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/run_area.py" line="60"/>
        <source>Pause a run: no new PO starts, the files in flight finish, the browsers stay signed in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/run_area.py" line="63"/>
        <source>No new PO starts; the files in flight finish and the browsers stay signed in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/run_area.py" line="66"/>
        <source>Start the remaining POs again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/run_area.py" line="67"/>
        <source>After a run with failed, partial, cancelled or no-access POs: run them again in the same folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/run_area.py" line="70"/>
        <source>Run the failed, partial, cancelled and no-access POs again in the same folder and report (only the files not yet saved are fetched)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/run_area.py" line="84"/>
        <source>Retry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/run_area.py" line="85"/>
        <source>Retry {count}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/run_area.py" line="100"/>
        <source>Try with d&amp;emo data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/run_area.py" line="101"/>
        <source>Start a built-in Coupa-like portal and load its sample</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/run_area.py" line="105"/>
        <source>Sig&amp;n in…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/run_area.py" line="106"/>
        <source>Open a visible browser on the portal to complete single sign-on once</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/run_area.py" line="110"/>
        <source>Sign out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/run_area.py" line="111"/>
        <source>Delete the saved portal session: the next run signs in again (e.g. on a shared computer)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/run_area.py" line="115"/>
        <source>&amp;Resume</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/run_area.py" line="116"/>
        <source>Continue the unfinished run in the destination (finished POs are skipped)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/run_area.py" line="119"/>
        <location filename="../../gui/run_area.py" line="179"/>
        <source>Start the run (Enter)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/run_area.py" line="124"/>
        <location filename="../../gui/run_area.py" line="127"/>
        <location filename="../../gui/run_area.py" line="173"/>
        <source>&amp;Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/run_area.py" line="125"/>
        <source>Stop the run: workers finish their current file, then stop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/run_area.py" line="127"/>
        <source>Stopping…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/run_area.py" line="129"/>
        <source>Open &amp;folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/run_area.py" line="129"/>
        <source>Open the run&apos;s folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/run_area.py" line="132"/>
        <source>Open re&amp;port</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/run_area.py" line="132"/>
        <source>Open the run&apos;s report (Excel)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/run_area.py" line="142"/>
        <source>History…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/run_area.py" line="143"/>
        <source>Past runs: open their folder or report, resume or retry them</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/run_area.py" line="147"/>
        <source>Description (optional)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/run_area.py" line="148"/>
        <source>A few words that name this run in the history (e.g. &apos;Audit Q3, EMEA&apos;)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RunStats</name>
    <message>
        <location filename="../../gui/bridge.py" line="239"/>
        <source>{done} of {total} done, {cancelled} cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/bridge.py" line="241"/>
        <source>{done} of {total} done</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SecondChances</name>
    <message>
        <location filename="../../gui/second_chances.py" line="142"/>
        <source>The history could not be read: {message}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SettingsPanel</name>
    <message>
        <location filename="../../gui/panels.py" line="50"/>
        <source>Make a PDF and extract their attachments</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="51"/>
        <source>Make a PDF only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="52"/>
        <source>Leave them as they are</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="73"/>
        <source>Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="76"/>
        <source>Folder for this run&apos;s files and report</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="78"/>
        <source>Where this run&apos;s PO folders and report go. Left as it is, every run gets a new dated folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="82"/>
        <source>Choose…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="83"/>
        <location filename="../../gui/panels.py" line="339"/>
        <source>Choose the run folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="88"/>
        <source>Parallel browsers. Each needs about 450 MB of memory.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="89"/>
        <source>&amp;Auto</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="90"/>
        <source>Choose from free memory and CPUs, never more than the POs to do</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="94"/>
        <source>Files each worker downloads at the same time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="99"/>
        <source>POs each browser reads at once, each in a tab of its own. More is faster on a slow portal but needs more memory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="105"/>
        <source>The browser the workers drive</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="111"/>
        <source>{browser} (not found)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="114"/>
        <source>&amp;Hide browsers (headless)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="115"/>
        <source>Untick to watch the browsers work, or when your sign-in needs you</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="117"/>
        <source>https://yourcompany.coupahost.com</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="118"/>
        <source>Your Coupa portal&apos;s address, as in the browser</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="121"/>
        <source>Where a PO&apos;s page is: {base} is the portal URL, {po} the PO number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="122"/>
        <source>Take files from the requisition when a PO has none</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="123"/>
        <source>A PO without attachments gets its requisition&apos;s files instead</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="124"/>
        <source>Redo rows already marked COMPLETED</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="125"/>
        <source>Rows whose STATUS column already says COMPLETED are done again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="131"/>
        <source>Saved Outlook (.msg) and .eml e-mails get a PDF beside them that anyone can open; their attachments can be taken out into a folder of their own. The original is always kept.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="138"/>
        <source>All</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="139"/>
        <source>Process at most this many POs (useful for a trial run)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="141"/>
        <source>Found automatically (Selenium Manager)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="143"/>
        <source>msedgedriver / chromedriver to use; leave empty to have it found or fetched</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="146"/>
        <source>The installed browser</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="148"/>
        <source>The browser program to start, when it is not where the browser installs it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="153"/>
        <source>Workers start from a copy of this browser profile (its sign-in and certificates); the profile itself is never changed, so the browser may stay open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="161"/>
        <source>The window&apos;s language; it changes the next time the window opens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="162"/>
        <source>System language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="178"/>
        <source>&amp;Destination:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="180"/>
        <source>Portal &amp;URL:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="187"/>
        <source>Wor&amp;kers:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="189"/>
        <source>Downloads per worker:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="194"/>
        <source>Bro&amp;wser:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="202"/>
        <source>PO page URL template:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="205"/>
        <source>E-mail e&amp;xport (.msg, .eml):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="209"/>
        <source>Li&amp;mit:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="214"/>
        <source>Pages per worker (&amp;1–{max}):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="216"/>
        <source>Dr&amp;iver:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="218"/>
        <source>Browser program:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="221"/>
        <source>Start from a cop&amp;y of my browser profile:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="222"/>
        <source>Language:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="223"/>
        <source>Ad&amp;vanced</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="223"/>
        <source>Show or hide the advanced settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="264"/>
        <source>Enter the portal URL (e.g. https://yourcompany.coupahost.com) first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="267"/>
        <source>Choose a destination folder first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="293"/>
        <source>(none)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="296"/>
        <source>Other folder…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="303"/>
        <source>Choose a browser&apos;s user data folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="310"/>
        <source>Choose the browser driver</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="315"/>
        <source>Choose the browser program</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="356"/>
        <source>Browse…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Status</name>
    <message>
        <location filename="../../gui/models.py" line="80"/>
        <source>Completed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/models.py" line="81"/>
        <source>Partial</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/models.py" line="82"/>
        <source>Failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/models.py" line="83"/>
        <source>No attachments</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/models.py" line="84"/>
        <source>Not found</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/models.py" line="85"/>
        <source>No access</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/models.py" line="86"/>
        <source>Invalid</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/models.py" line="87"/>
        <source>Cancelled</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>WorkerState</name>
    <message>
        <location filename="../../gui/models.py" line="65"/>
        <source>starting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/models.py" line="66"/>
        <source>signing in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/models.py" line="67"/>
        <source>working</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/models.py" line="68"/>
        <source>idle</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/models.py" line="69"/>
        <source>paused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/models.py" line="70"/>
        <source>restarting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/models.py" line="71"/>
        <source>stopped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/models.py" line="72"/>
        <source>cancelled</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>WorkersModel</name>
    <message>
        <location filename="../../gui/models.py" line="131"/>
        <source>{n} POs: {names}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/models.py" line="367"/>
        <source>{po}: reading the PO&apos;s page</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/models.py" line="369"/>
        <source>{po} ({supplier}): {done} / {found} files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/models.py" line="371"/>
        <source>{po}: {done} / {found} files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/models.py" line="382"/>
        <source>Downloading {files} file(s): {done:.1f} of {total:.1f} MB</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>WorkersPane</name>
    <message>
        <location filename="../../gui/run_area.py" line="256"/>
        <source>One row per worker (a browser): what it is doing now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/run_area.py" line="263"/>
        <source>&lt;b&gt;Workers&lt;/b&gt;</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
