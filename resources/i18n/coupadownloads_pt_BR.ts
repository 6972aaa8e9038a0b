<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="pt_BR">
<context>
    <name>App</name>
    <message>
        <location filename="../../gui/app.py" line="99"/>
        <source>Something went wrong</source>
        <translation>Algo deu errado</translation>
    </message>
    <message>
        <location filename="../../gui/app.py" line="102"/>
        <source>The details were written to the log. The window keeps working; a run in progress goes on.</source>
        <translation>Os detalhes foram gravados no registro. A janela continua funcionando; uma execução em andamento prossegue.</translation>
    </message>
</context>
<context>
    <name>Columns</name>
    <message>
        <location filename="../../gui/models.py" line="204"/>
        <source>Worker</source>
        <translation>Trabalhador</translation>
    </message>
    <message>
        <location filename="../../gui/history_dialog.py" line="51"/>
        <source>Started</source>
        <translation>Início</translation>
    </message>
    <message>
        <location filename="../../gui/history_dialog.py" line="52"/>
        <source>Description</source>
        <translation>Descrição</translation>
    </message>
    <message>
        <location filename="../../gui/history_dialog.py" line="53"/>
        <source>Input</source>
        <translation>Entrada</translation>
    </message>
    <message>
        <location filename="../../gui/history_dialog.py" line="54"/>
        <location filename="../../gui/models.py" line="205"/>
        <source>State</source>
        <translation>Estado</translation>
    </message>
    <message>
        <location filename="../../gui/history_dialog.py" line="55"/>
        <source>POs</source>
        <translation>POs</translation>
    </message>
    <message>
        <location filename="../../gui/history_dialog.py" line="56"/>
        <source>Duration</source>
        <translation>Duração</translation>
    </message>
    <message>
        <location filename="../../gui/history_dialog.py" line="57"/>
        <source>POs/min</source>
        <translation>POs/min</translation>
    </message>
    <message>
        <location filename="../../gui/history_dialog.py" line="58"/>
        <source>Results</source>
        <translation>Resultados</translation>
    </message>
    <message>
        <location filename="../../gui/models.py" line="206"/>
        <source>Current POs</source>
        <translation>POs atuais</translation>
    </message>
    <message>
        <location filename="../../gui/models.py" line="207"/>
        <location filename="../../gui/results_area.py" line="27"/>
        <source>Supplier</source>
        <translation>Fornecedor</translation>
    </message>
    <message>
        <location filename="../../gui/models.py" line="208"/>
        <location filename="../../gui/results_area.py" line="28"/>
        <source>Files</source>
        <translation>Arquivos</translation>
    </message>
    <message>
        <location filename="../../gui/models.py" line="209"/>
        <source>MB</source>
        <translation>MB</translation>
    </message>
    <message>
        <location filename="../../gui/models.py" line="210"/>
        <source>POs done</source>
        <translation>POs concluídos</translation>
    </message>
    <message>
        <location filename="../../gui/models.py" line="211"/>
        <source>Last error</source>
        <translation>Último erro</translation>
    </message>
    <message>
        <location filename="../../gui/results_area.py" line="25"/>
        <source>PO</source>
        <translation>PO</translation>
    </message>
    <message>
        <location filename="../../gui/results_area.py" line="26"/>
        <source>Status</source>
        <translation>Situação</translation>
    </message>
    <message>
        <location filename="../../gui/results_area.py" line="29"/>
        <source>E-mails</source>
        <translation>E-mails</translation>
    </message>
    <message>
        <location filename="../../gui/history_dialog.py" line="59"/>
        <location filename="../../gui/results_area.py" line="30"/>
        <source>Folder</source>
        <translation>Pasta</translation>
    </message>
    <message>
        <location filename="../../gui/results_area.py" line="31"/>
        <source>Message</source>
        <translation>Mensagem</translation>
    </message>
</context>
<context>
    <name>Destination</name>
    <message>
        <location filename="../../gui/destination.py" line="55"/>
        <source>The destination holds an unfinished run: press Resume to continue it, or choose another folder.</source>
        <translation>O destino tem uma execução não terminada: pressione Retomar para continuá-la, ou escolha outra pasta.</translation>
    </message>
    <message>
        <location filename="../../gui/destination.py" line="59"/>
        <source>The destination already holds a finished run: choose another folder.</source>
        <translation>O destino já tem uma execução terminada: escolha outra pasta.</translation>
    </message>
    <message>
        <location filename="../../gui/destination.py" line="63"/>
        <source>The destination {folder} can&apos;t be made: {why}.</source>
        <translation>Não foi possível criar o destino {folder}: {why}.</translation>
    </message>
</context>
<context>
    <name>DropZone</name>
    <message>
        <location filename="../../gui/widgets.py" line="26"/>
        <source>Drop a PO spreadsheet here or</source>
        <translation>Solte aqui uma planilha de POs ou</translation>
    </message>
    <message>
        <location filename="../../gui/widgets.py" line="59"/>
        <source>&amp;Browse…</source>
        <translation>Procur&amp;ar…</translation>
    </message>
    <message>
        <location filename="../../gui/widgets.py" line="61"/>
        <source>Choose an .xlsx or .csv file with a PO_NUMBER column</source>
        <translation>Escolha um arquivo .xlsx ou .csv com uma coluna PO_NUMBER</translation>
    </message>
</context>
<context>
    <name>HistoryDialog</name>
    <message>
        <location filename="../../gui/history_dialog.py" line="116"/>
        <source>History of runs</source>
        <translation>Histórico de execuções</translation>
    </message>
    <message>
        <location filename="../../gui/history_dialog.py" line="126"/>
        <source>No runs yet: each run you start is listed here.</source>
        <translation>Nenhuma execução ainda: cada execução iniciada aparece aqui.</translation>
    </message>
    <message>
        <location filename="../../gui/history_dialog.py" line="127"/>
        <source>Open &amp;folder</source>
        <translation>Abrir &amp;pasta</translation>
    </message>
    <message>
        <location filename="../../gui/history_dialog.py" line="128"/>
        <source>Open the selected run&apos;s folder</source>
        <translation>Abrir a pasta da execução selecionada</translation>
    </message>
    <message>
        <location filename="../../gui/history_dialog.py" line="129"/>
        <source>Open re&amp;port</source>
        <translation>Abrir re&amp;latório</translation>
    </message>
    <message>
        <location filename="../../gui/history_dialog.py" line="130"/>
        <source>Open the selected run&apos;s report</source>
        <translation>Abrir o relatório da execução selecionada</translation>
    </message>
    <message>
        <location filename="../../gui/history_dialog.py" line="131"/>
        <source>&amp;Resume</source>
        <translation>&amp;Retomar</translation>
    </message>
    <message>
        <location filename="../../gui/history_dialog.py" line="132"/>
        <source>Continue the selected run where it stopped (finished POs are skipped)</source>
        <translation>Continuar a execução selecionada de onde parou (POs concluídos são pulados)</translation>
    </message>
    <message>
        <location filename="../../gui/history_dialog.py" line="135"/>
        <source>Run the selected run&apos;s failed, partial, cancelled and no-access POs again</source>
        <translation>Executar de novo os POs com falha, parciais, cancelados e sem acesso da execução selecionada</translation>
    </message>
</context>
<context>
    <name>HistoryModel</name>
    <message>
        <location filename="../../gui/history_dialog.py" line="29"/>
        <source>run</source>
        <translation>execução</translation>
    </message>
    <message>
        <location filename="../../gui/history_dialog.py" line="30"/>
        <source>resume</source>
        <translation>retomada</translation>
    </message>
    <message>
        <location filename="../../gui/history_dialog.py" line="31"/>
        <source>retry</source>
        <translation>nova tentativa</translation>
    </message>
    <message>
        <location filename="../../gui/history_dialog.py" line="32"/>
        <source>collected</source>
        <translation>coletada</translation>
    </message>
    <message>
        <location filename="../../gui/history_dialog.py" line="35"/>
        <source>finished</source>
        <translation>concluída</translation>
    </message>
    <message>
        <location filename="../../gui/history_dialog.py" line="36"/>
        <source>cancelled</source>
        <translation>cancelada</translation>
    </message>
    <message>
        <location filename="../../gui/history_dialog.py" line="81"/>
        <source>running or stopped abruptly</source>
        <translation>em andamento ou interrompida abruptamente</translation>
    </message>
</context>
<context>
    <name>InputArea</name>
    <message>
        <location filename="../../gui/input_area.py" line="71"/>
        <source>1 PO</source>
        <translation>1 PO</translation>
    </message>
    <message>
        <location filename="../../gui/input_area.py" line="73"/>
        <source>{n} POs</source>
        <translation>{n} POs</translation>
    </message>
    <message>
        <location filename="../../gui/input_area.py" line="76"/>
        <source>1 duplicate</source>
        <translation>1 repetido</translation>
    </message>
    <message>
        <location filename="../../gui/input_area.py" line="78"/>
        <source>{n} duplicates</source>
        <translation>{n} repetidos</translation>
    </message>
    <message>
        <location filename="../../gui/input_area.py" line="80"/>
        <source>{pos} ({invalid} invalid, {duplicates}, {completed} already completed)</source>
        <translation>{pos} ({invalid} inválidos, {duplicates}, {completed} já concluídos)</translation>
    </message>
    <message>
        <location filename="../../gui/input_area.py" line="114"/>
        <source>The worksheet that holds the POs</source>
        <translation>A aba da planilha que contém os POs</translation>
    </message>
    <message>
        <location filename="../../gui/input_area.py" line="120"/>
        <source>The column with the PO numbers (chosen automatically; change it if wrong)</source>
        <translation>A coluna com os números dos POs (escolhida automaticamente; troque se estiver errada)</translation>
    </message>
    <message>
        <location filename="../../gui/input_area.py" line="123"/>
        <source>Shee&amp;t:</source>
        <translation>A&amp;ba:</translation>
    </message>
    <message>
        <location filename="../../gui/input_area.py" line="125"/>
        <source>P&amp;O column:</source>
        <translation>C&amp;oluna do PO:</translation>
    </message>
    <message>
        <location filename="../../gui/input_area.py" line="131"/>
        <source>Show invalid rows…</source>
        <translation>Mostrar linhas inválidas…</translation>
    </message>
    <message>
        <location filename="../../gui/input_area.py" line="133"/>
        <source>List the rows that are not PO numbers, and why</source>
        <translation>Lista as linhas que não são números de PO, e por quê</translation>
    </message>
    <message>
        <location filename="../../gui/input_area.py" line="163"/>
        <source>Choose a PO spreadsheet</source>
        <translation>Escolha uma planilha de POs</translation>
    </message>
    <message>
        <location filename="../../gui/input_area.py" line="163"/>
        <source>Spreadsheets (*.xlsx *.xlsm *.csv)</source>
        <translation>Planilhas (*.xlsx *.xlsm *.csv)</translation>
    </message>
    <message>
        <location filename="../../gui/input_area.py" line="191"/>
        <source>reading…</source>
        <translation>lendo…</translation>
    </message>
    <message>
        <location filename="../../gui/input_area.py" line="229"/>
        <source>choose the PO column</source>
        <translation>escolha a coluna do PO</translation>
    </message>
    <message>
        <location filename="../../gui/input_area.py" line="230"/>
        <source>Choose the spreadsheet&apos;s PO column first.</source>
        <translation>Escolha primeiro a coluna do PO na planilha.</translation>
    </message>
    <message>
        <location filename="../../gui/input_area.py" line="241"/>
        <source>Loaded {name}: {counts}</source>
        <translation>{name} carregado: {counts}</translation>
    </message>
    <message>
        <location filename="../../gui/input_area.py" line="248"/>
        <source>The spreadsheet could not be read: see the message above the settings.</source>
        <translation>Não foi possível ler a planilha: veja a mensagem acima das configurações.</translation>
    </message>
    <message>
        <location filename="../../gui/input_area.py" line="250"/>
        <source>could not be read</source>
        <translation>não pôde ser lido</translation>
    </message>
    <message>
        <location filename="../../gui/input_area.py" line="257"/>
        <source>The spreadsheet is being read.</source>
        <translation>A planilha está sendo lida.</translation>
    </message>
    <message>
        <location filename="../../gui/input_area.py" line="261"/>
        <source>Load a PO spreadsheet first: drop it on the window or press Browse…</source>
        <translation>Carregue primeiro uma planilha de POs: solte-a na janela ou pressione Procurar…</translation>
    </message>
    <message>
        <location filename="../../gui/input_area.py" line="276"/>
        <source>Row {number}: {po} — {why}</source>
        <translation>Linha {number}: {po} — {why}</translation>
    </message>
    <message>
        <location filename="../../gui/input_area.py" line="281"/>
        <source>Invalid rows</source>
        <translation>Linhas inválidas</translation>
    </message>
    <message>
        <location filename="../../gui/input_area.py" line="285"/>
        <source>These rows are reported as INVALID and not processed:</source>
        <translation>Estas linhas são relatadas como INVALID e não são processadas:</translation>
    </message>
</context>
<context>
    <name>Log</name>
    <message>
        <location filename="../../gui/log_area.py" line="44"/>
        <source>{pending} POs to do with {workers} workers, {done} already done.</source>
        <translation>{pending} POs a fazer com {workers} trabalhadores, {done} já feitos.</translation>
    </message>
    <message>
        <location filename="../../gui/log_area.py" line="46"/>
        <source>{pending} POs to do with {workers} workers.</source>
        <translation>{pending} POs a fazer com {workers} trabalhadores.</translation>
    </message>
    <message>
        <location filename="../../gui/log_area.py" line="51"/>
        <source>{done}/{found} files</source>
        <translation>{done}/{found} arquivos</translation>
    </message>
    <message>
        <location filename="../../gui/log_area.py" line="55"/>
        <source>, {n} e-mail(s) to PDF</source>
        <translation>, {n} e-mail(s) em PDF</translation>
    </message>
    <message>
        <location filename="../../gui/log_area.py" line="58"/>
        <source>Worker {worker}: {po} {status} ({detail}){message}</source>
        <translation>Trabalhador {worker}: {po} {status} ({detail}){message}</translation>
    </message>
    <message>
        <location filename="../../gui/log_area.py" line="63"/>
        <source>Worker {worker}: {message}</source>
        <translation>Trabalhador {worker}: {message}</translation>
    </message>
    <message>
        <location filename="../../gui/log_area.py" line="67"/>
        <source>Worker {worker} restarted: {reason}</source>
        <translation>Trabalhador {worker} reiniciado: {reason}</translation>
    </message>
    <message>
        <location filename="../../gui/log_area.py" line="73"/>
        <source>{po} goes back to the queue: {reason}</source>
        <translation>{po} volta para a fila: {reason}</translation>
    </message>
    <message>
        <location filename="../../gui/log_area.py" line="77"/>
        <source>Worker {worker} is signing in ({reason}).</source>
        <translation>Trabalhador {worker} está entrando ({reason}).</translation>
    </message>
    <message>
        <location filename="../../gui/log_area.py" line="81"/>
        <source>Paused: no new PO starts; the files in flight finish and the browsers stay signed in.</source>
        <translation>Pausado: nenhum PO novo começa; os arquivos em andamento terminam e os navegadores continuam conectados.</translation>
    </message>
    <message>
        <location filename="../../gui/log_area.py" line="85"/>
        <source>Continued.</source>
        <translation>Continuando.</translation>
    </message>
    <message>
        <location filename="../../gui/log_area.py" line="97"/>
        <source>The run stopped.</source>
        <translation>A execução parou.</translation>
    </message>
    <message>
        <location filename="../../gui/log_area.py" line="101"/>
        <source>The portal asked for a sign-in: press Sign in…, then Resume.</source>
        <translation>O portal pediu login: pressione Entrar…, depois Retomar.</translation>
    </message>
    <message>
        <location filename="../../gui/log_area.py" line="107"/>
        <source>Cancelled: {summary}. Press Resume to continue from here.</source>
        <translation>Cancelado: {summary}. Pressione Retomar para continuar daqui.</translation>
    </message>
    <message>
        <location filename="../../gui/log_area.py" line="109"/>
        <source>Finished: {done} POs in {elapsed}. Report saved.</source>
        <translation>Terminado: {done} POs em {elapsed}. Relatório salvo.</translation>
    </message>
</context>
<context>
    <name>LogPane</name>
    <message>
        <location filename="../../gui/log_area.py" line="134"/>
        <source>Copy dia&amp;gnostics</source>
        <translation>Copiar diagnó&amp;stico</translation>
    </message>
    <message>
        <location filename="../../gui/log_area.py" line="137"/>
        <source>Copy the log and this setup to the clipboard, to paste into a support request</source>
        <translation>Copia o registro e esta configuração para a área de transferência, para colar num pedido de suporte</translation>
    </message>
    <message>
        <location filename="../../gui/log_area.py" line="147"/>
        <source>&amp;Log</source>
        <translation>Re&amp;gistro</translation>
    </message>
    <message>
        <location filename="../../gui/log_area.py" line="149"/>
        <source>Show or hide the log</source>
        <translation>Mostra ou oculta o registro</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../gui/main_window.py" line="106"/>
        <location filename="../../gui/second_chances.py" line="128"/>
        <source>folder</source>
        <translation>pasta</translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="109"/>
        <location filename="../../gui/second_chances.py" line="131"/>
        <source>report</source>
        <translation>relatório</translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="122"/>
        <source>PO folder</source>
        <translation>pasta do PO</translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="205"/>
        <source>Diagnostics copied to the clipboard.</source>
        <translation>Diagnóstico copiado para a área de transferência.</translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="210"/>
        <source>The {what} does not exist yet.</source>
        <translation>A {what} ainda não existe.</translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="212"/>
        <source>The system could not open the {what}. Its path, to copy: {path}</source>
        <translation>O sistema não conseguiu abrir: {what}. O caminho, para copiar: {path}</translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="220"/>
        <source>Demo portal running at {url}</source>
        <translation>Portal de demonstração rodando em {url}</translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="229"/>
        <source>A browser window is opening: sign in there. It closes by itself when you are in.</source>
        <translation>Uma janela do navegador está abrindo: entre por ela. Ela fecha sozinha quando você tiver entrado.</translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="240"/>
        <source>Signed in. The workers will reuse this session.</source>
        <translation>Login feito. Os trabalhadores vão reutilizar esta sessão.</translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="244"/>
        <source>Sign-in was not completed (the browser was closed or it took too long).</source>
        <translation>O login não foi concluído (o navegador foi fechado ou demorou demais).</translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="261"/>
        <source>Drop a PO spreadsheet on the window (or press Browse…) first.</source>
        <translation>Solte primeiro uma planilha de POs na janela (ou pressione Procurar…).</translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="282"/>
        <source>Checking the session on {url}…</source>
        <translation>Verificando a sessão em {url}…</translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="297"/>
        <source>Not started.</source>
        <translation>Não iniciado.</translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="302"/>
        <source>The portal needs you to sign in before the run can start.</source>
        <translation>O portal precisa que você entre antes de a execução começar.</translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="303"/>
        <location filename="../../gui/main_window.py" line="305"/>
        <source>Sign in needed</source>
        <translation>É preciso entrar</translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="305"/>
        <source>Open a browser to sign in now?</source>
        <translation>Abrir um navegador para entrar agora?</translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="310"/>
        <source>Not started: sign in first (Sign in…).</source>
        <translation>Não iniciado: entre primeiro (Entrar…).</translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="317"/>
        <source>Run started again for its failed, partial, cancelled and no-access POs: {folder}</source>
        <translation>Execução iniciada de novo para os POs com falha, parciais, cancelados e sem acesso: {folder}</translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="319"/>
        <source>Run resumed: {folder}</source>
        <translation>Execução retomada: {folder}</translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="321"/>
        <source>Run started: {folder}</source>
        <translation>Execução iniciada: {folder}</translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="334"/>
        <source>Cancelling: workers finish their current file, then stop.</source>
        <translation>Cancelando: os trabalhadores terminam o arquivo atual e param.</translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="336"/>
        <source>Stopping…</source>
        <translation>Parando…</translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="392"/>
        <source>A run is in progress: Cancel stops it.</source>
        <translation>Há uma execução em andamento: Cancelar a interrompe.</translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="437"/>
        <source>A run is in progress</source>
        <translation>Há uma execução em andamento</translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="438"/>
        <source>Cancel the run and close? Finished POs are kept; you can Resume later.</source>
        <translation>Cancelar a execução e fechar? Os POs terminados são mantidos; você pode Retomar depois.</translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="445"/>
        <source>Stopping the workers; the window closes when they are gone…</source>
        <translation>Parando os trabalhadores; a janela fecha quando eles terminarem…</translation>
    </message>
</context>
<context>
    <name>MemoryMeter</name>
    <message>
        <location filename="../../gui/run_area.py" line="45"/>
        <source>Memory: {gb:.2f} GB (system {used:.0f}% used)</source>
        <translation>Memória: {gb:.2f} GB (sistema {used:.0f}% em uso)</translation>
    </message>
</context>
<context>
    <name>Notifier</name>
    <message>
        <location filename="../../gui/notify.py" line="25"/>
        <source>Sign in needed</source>
        <translation>É preciso entrar</translation>
    </message>
    <message>
        <location filename="../../gui/notify.py" line="25"/>
        <source>Run finished</source>
        <translation>Execução terminada</translation>
    </message>
</context>
<context>
    <name>OverallProgress</name>
    <message>
        <location filename="../../gui/run_area.py" line="210"/>
        <source>POs finished of the POs in this run&apos;s folder</source>
        <translation>POs terminados dentre os POs da pasta desta execução</translation>
    </message>
    <message>
        <location filename="../../gui/run_area.py" line="240"/>
        <source>{rate} POs/min</source>
        <translation>{rate} POs/min</translation>
    </message>
    <message>
        <location filename="../../gui/run_area.py" line="241"/>
        <source>elapsed {time}</source>
        <translation>decorrido {time}</translation>
    </message>
    <message>
        <location filename="../../gui/run_area.py" line="244"/>
        <source>ETA {time}</source>
        <translation>previsão {time}</translation>
    </message>
</context>
<context>
    <name>ResultsModel</name>
    <message>
        <location filename="../../gui/results_area.py" line="101"/>
        <source>{n} to PDF</source>
        <translation>{n} em PDF</translation>
    </message>
    <message>
        <location filename="../../gui/results_area.py" line="116"/>
        <source>Double-click to open it.</source>
        <translation>Clique duas vezes para abri-la.</translation>
    </message>
    <message>
        <location filename="../../gui/results_area.py" line="120"/>
        <source>{emails} saved e-mail(s) converted to PDF, {files} file(s) extracted from them</source>
        <translation>{emails} e-mail(s) salvo(s) convertido(s) em PDF, {files} arquivo(s) extraído(s) deles</translation>
    </message>
</context>
<context>
    <name>ResultsPane</name>
    <message>
        <location filename="../../gui/results_area.py" line="181"/>
        <source>Show the POs of one status only</source>
        <translation>Mostra só os POs de uma situação</translation>
    </message>
    <message>
        <location filename="../../gui/results_area.py" line="182"/>
        <source>All statuses</source>
        <translation>Todas as situações</translation>
    </message>
    <message>
        <location filename="../../gui/results_area.py" line="189"/>
        <source>Show:</source>
        <translation>Mostrar:</translation>
    </message>
    <message>
        <location filename="../../gui/results_area.py" line="191"/>
        <source>&lt;b&gt;Results&lt;/b&gt; (double-click a row to open its folder)</source>
        <translation>&lt;b&gt;Resultados&lt;/b&gt; (clique duas vezes numa linha para abrir a pasta)</translation>
    </message>
</context>
<context>
    <name>RunButtons</name>
    <message>
        <location filename="../../gui/run_area.py" line="51"/>
        <location filename="../../gui/run_area.py" line="119"/>
        <location filename="../../gui/run_area.py" line="172"/>
        <source>&amp;Start</source>
        <translation>&amp;Iniciar</translation>
    </message>
    <message>
        <location filename="../../gui/run_area.py" line="52"/>
        <source>Checking sign-in…</source>
        <translation>Verificando login…</translation>
    </message>
    <message>
        <location filename="../../gui/run_area.py" line="53"/>
        <source>Signing in…</source>
        <translation>Entrando…</translation>
    </message>
    <message>
        <location filename="../../gui/run_area.py" line="54"/>
        <source>Running…</source>
        <translation>Executando…</translation>
    </message>
    <message>
        <location filename="../../gui/run_area.py" line="58"/>
        <source>Pause</source>
        <translation>Pausar</translation>
    </message>
    <message>
        <location filename="../../gui/run_area.py" line="59"/>
        <source>Continue</source>
        <translation>Continuar</translation>
    </message>
    <message>
        <location filename="../../gui/run_area.py" line="60"/>
        <source>Pause a run: no new PO starts, the files in flight finish, the browsers stay signed in</source>
        <translation>Pausar uma execução: nenhum PO novo começa, os arquivos em andamento terminam, os navegadores continuam conectados</translation>
    </message>
    <message>
        <location filename="../../gui/run_area.py" line="63"/>
        <source>No new PO starts; the files in flight finish and the browsers stay signed in</source>
        <translation>Nenhum PO novo começa; os arquivos em andamento terminam e os navegadores continuam conectados</translation>
    </message>
    <message>
        <location filename="../../gui/run_area.py" line="66"/>
        <source>Start the remaining POs again</source>
        <translation>Retomar os POs restantes</translation>
    </message>
    <message>
        <location filename="../../gui/run_area.py" line="67"/>
        <source>After a run with failed, partial, cancelled or no-access POs: run them again in the same folder</source>
        <translation>Depois de uma execução com POs com falha, parciais, cancelados ou sem acesso: executá-los de novo na mesma pasta</translation>
    </message>
    <message>
        <location filename="../../gui/run_area.py" line="70"/>
        <source>Run the failed, partial, cancelled and no-access POs again in the same folder and report (only the files not yet saved are fetched)</source>
        <translation>Executar de novo os POs com falha, parciais, cancelados e sem acesso na mesma pasta e relatório (só os arquivos ainda não salvos são baixados)</translation>
    </message>
    <message>
        <location filename="../../gui/run_area.py" line="84"/>
        <source>Retry</source>
        <translation>Tentar de novo</translation>
    </message>
    <message>
        <location filename="../../gui/run_area.py" line="85"/>
        <source>Retry {count}</source>
        <translation>Tentar de novo {count}</translation>
    </message>
    <message>
        <location filename="../../gui/run_area.py" line="100"/>
        <source>Try with d&amp;emo data</source>
        <translation>Testar com dados &amp;fictícios</translation>
    </message>
    <message>
        <location filename="../../gui/run_area.py" line="101"/>
        <source>Start a built-in Coupa-like portal and load its sample</source>
        <translation>Inicia um portal interno parecido com o Coupa e carrega a amostra dele</translation>
    </message>
    <message>
        <location filename="../../gui/run_area.py" line="105"/>
        <source>Sig&amp;n in…</source>
        <translation>&amp;Entrar…</translation>
    </message>
    <message>
        <location filename="../../gui/run_area.py" line="106"/>
        <source>Open a visible browser on the portal to complete single sign-on once</source>
        <translation>Abre um navegador visível no portal para fazer o login único uma vez</translation>
    </message>
    <message>
        <location filename="../../gui/run_area.py" line="110"/>
        <source>Sign out</source>
        <translation>Sair da conta</translation>
    </message>
    <message>
        <location filename="../../gui/run_area.py" line="111"/>
        <source>Delete the saved portal session: the next run signs in again (e.g. on a shared computer)</source>
        <translation>Apaga a sessão salva do portal: a próxima execução entra de novo (por exemplo, num computador compartilhado)</translation>
    </message>
    <message>
        <location filename="../../gui/run_area.py" line="115"/>
        <source>&amp;Resume</source>
        <translation>&amp;Retomar</translation>
    </message>
    <message>
        <location filename="../../gui/run_area.py" line="116"/>
        <source>Continue the unfinished run in the destination (finished POs are skipped)</source>
        <translation>Continua a execução não terminada no destino (os POs terminados são pulados)</translation>
    </message>
    <message>
        <location filename="../../gui/run_area.py" line="119"/>
        <location filename="../../gui/run_area.py" line="179"/>
        <source>Start the run (Enter)</source>
        <translation>Inicia a execução (Enter)</translation>
    </message>
    <message>
        <location filename="../../gui/run_area.py" line="124"/>
        <location filename="../../gui/run_area.py" line="127"/>
        <location filename="../../gui/run_area.py" line="173"/>
        <source>&amp;Cancel</source>
        <translation>&amp;Cancelar</translation>
    </message>
    <message>
        <location filename="../../gui/run_area.py" line="125"/>
        <source>Stop the run: workers finish their current file, then stop</source>
        <translation>Para a execução: os trabalhadores terminam o arquivo atual e param</translation>
    </message>
    <message>
        <location filename="../../gui/run_area.py" line="127"/>
        <source>Stopping…</source>
        <translation>Parando…</translation>
    </message>
    <message>
        <location filename="../../gui/run_area.py" line="129"/>
        <source>Open &amp;folder</source>
        <translation>Abrir &amp;pasta</translation>
    </message>
    <message>
        <location filename="../../gui/run_area.py" line="129"/>
        <source>Open the run&apos;s folder</source>
        <translation>Abre a pasta da execução</translation>
    </message>
    <message>
        <location filename="../../gui/run_area.py" line="132"/>
        <source>Open re&amp;port</source>
        <translation>Abrir re&amp;latório</translation>
    </message>
    <message>
        <location filename="../../gui/run_area.py" line="132"/>
        <source>Open the run&apos;s report (Excel)</source>
        <translation>Abre o relatório da execução (Excel)</translation>
    </message>
    <message>
        <location filename="../../gui/run_area.py" line="142"/>
        <source>History…</source>
        <translation>Histórico…</translation>
    </message>
    <message>
        <location filename="../../gui/run_area.py" line="143"/>
        <source>Past runs: open their folder or report, resume or retry them</source>
        <translation>Execuções anteriores: abrir a pasta ou o relatório, retomá-las ou tentar de novo</translation>
    </message>
    <message>
        <location filename="../../gui/run_area.py" line="147"/>
        <source>Description (optional)</source>
        <translation>Descrição (opcional)</translation>
    </message>
    <message>
        <location filename="../../gui/run_area.py" line="148"/>
        <source>A few words that name this run in the history (e.g. &apos;Audit Q3, EMEA&apos;)</source>
        <translation>Algumas palavras que identificam esta execução no histórico (ex.: &apos;Auditoria T3, EMEA&apos;)</translation>
    </message>
</context>
<context>
    <name>RunStats</name>
    <message>
        <location filename="../../gui/bridge.py" line="239"/>
        <source>{done} of {total} done, {cancelled} cancelled</source>
        <translation>{done} de {total} feitos, {cancelled} cancelados</translation>
    </message>
    <message>
        <location filename="../../gui/bridge.py" line="241"/>
        <source>{done} of {total} done</source>
        <translation>{done} de {total} feitos</translation>
    </message>
</context>
<context>
    <name>SecondChances</name>
    <message>
        <location filename="../../gui/second_chances.py" line="142"/>
        <source>The history could not be read: {message}</source>
        <translation>Não foi possível ler o histórico: {message}</translation>
    </message>
</context>
<context>
    <name>SettingsPanel</name>
    <message>
        <location filename="../../gui/panels.py" line="50"/>
        <source>Make a PDF and extract their attachments</source>
        <translation>Gerar um PDF e extrair os anexos</translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="51"/>
        <source>Make a PDF only</source>
        <translation>Gerar só um PDF</translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="52"/>
        <source>Leave them as they are</source>
        <translation>Deixar como estão</translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="73"/>
        <source>Settings</source>
        <translation>Configurações</translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="76"/>
        <source>Folder for this run&apos;s files and report</source>
        <translation>Pasta para os arquivos e o relatório desta execução</translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="78"/>
        <source>Where this run&apos;s PO folders and report go. Left as it is, every run gets a new dated folder</source>
        <translation>Onde ficam as pastas dos POs e o relatório desta execução. Se deixar como está, cada execução ganha uma pasta nova com data</translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="82"/>
        <source>Choose…</source>
        <translation>Escolher…</translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="83"/>
        <location filename="../../gui/panels.py" line="339"/>
        <source>Choose the run folder</source>
        <translation>Escolha a pasta da execução</translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="88"/>
        <source>Parallel browsers. Each needs about 450 MB of memory.</source>
        <translation>Navegadores em paralelo. Cada um precisa de uns 450 MB de memória.</translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="89"/>
        <source>&amp;Auto</source>
        <translation>Auto&amp;mático</translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="90"/>
        <source>Choose from free memory and CPUs, never more than the POs to do</source>
        <translation>Escolhe pela memória livre e pelas CPUs, nunca mais que os POs a fazer</translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="94"/>
        <source>Files each worker downloads at the same time</source>
        <translation>Arquivos que cada trabalhador baixa ao mesmo tempo</translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="99"/>
        <source>POs each browser reads at once, each in a tab of its own. More is faster on a slow portal but needs more memory</source>
        <translation>POs que cada navegador lê ao mesmo tempo, cada um numa aba própria. Mais é mais rápido num portal lento, mas usa mais memória</translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="105"/>
        <source>The browser the workers drive</source>
        <translation>O navegador que os trabalhadores controlam</translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="111"/>
        <source>{browser} (not found)</source>
        <translation>{browser} (não encontrado)</translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="114"/>
        <source>&amp;Hide browsers (headless)</source>
        <translation>Ocultar navegadores (&amp;headless)</translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="115"/>
        <source>Untick to watch the browsers work, or when your sign-in needs you</source>
        <translation>Desmarque para ver os navegadores trabalhando, ou quando o seu login precisar de você</translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="117"/>
        <source>https://yourcompany.coupahost.com</source>
        <translation>https://suaempresa.coupahost.com</translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="118"/>
        <source>Your Coupa portal&apos;s address, as in the browser</source>
        <translation>O endereço do seu portal Coupa, como no navegador</translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="121"/>
        <source>Where a PO&apos;s page is: {base} is the portal URL, {po} the PO number</source>
        <translation>Onde fica a página de um PO: {base} é a URL do portal, {po} o número do PO</translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="122"/>
        <source>Take files from the requisition when a PO has none</source>
        <translation>Pegar os arquivos da requisição quando um PO não tiver nenhum</translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="123"/>
        <source>A PO without attachments gets its requisition&apos;s files instead</source>
        <translation>Um PO sem anexos recebe, em vez disso, os arquivos da requisição</translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="124"/>
        <source>Redo rows already marked COMPLETED</source>
        <translation>Refazer linhas já marcadas COMPLETED</translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="125"/>
        <source>Rows whose STATUS column already says COMPLETED are done again</source>
        <translation>Linhas cuja coluna STATUS já diz COMPLETED são feitas de novo</translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="131"/>
        <source>Saved Outlook (.msg) and .eml e-mails get a PDF beside them that anyone can open; their attachments can be taken out into a folder of their own. The original is always kept.</source>
        <translation>E-mails salvos do Outlook (.msg) e .eml ganham ao lado um PDF que qualquer pessoa abre; os anexos deles podem ir para uma pasta própria. O original é sempre mantido.</translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="138"/>
        <source>All</source>
        <translation>Todos</translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="139"/>
        <source>Process at most this many POs (useful for a trial run)</source>
        <translation>Processa no máximo esta quantidade de POs (útil para um teste)</translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="141"/>
        <source>Found automatically (Selenium Manager)</source>
        <translation>Encontrado automaticamente (Selenium Manager)</translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="143"/>
        <source>msedgedriver / chromedriver to use; leave empty to have it found or fetched</source>
        <translation>msedgedriver / chromedriver a usar; deixe vazio para que seja encontrado ou baixado</translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="146"/>
        <source>The installed browser</source>
        <translation>O navegador instalado</translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="148"/>
        <source>The browser program to start, when it is not where the browser installs it</source>
        <translation>O programa do navegador a iniciar, quando não está onde o navegador se instala</translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="153"/>
        <source>Workers start from a copy of this browser profile (its sign-in and certificates); the profile itself is never changed, so the browser may stay open</source>
        <translation>Os trabalhadores partem de uma cópia deste perfil do navegador (login e certificados); o perfil em si nunca é alterado, então o navegador pode ficar aberto</translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="161"/>
        <source>The window&apos;s language; it changes the next time the window opens</source>
        <translation>O idioma da janela; muda na próxima vez que a janela abrir</translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="162"/>
        <source>System language</source>
        <translation>Idioma do sistema</translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="178"/>
        <source>&amp;Destination:</source>
        <translation>&amp;Destino:</translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="180"/>
        <source>Portal &amp;URL:</source>
        <translation>&amp;URL do portal:</translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="187"/>
        <source>Wor&amp;kers:</source>
        <translation>&amp;Trabalhadores:</translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="189"/>
        <source>Downloads per worker:</source>
        <translation>Arquivos simultâneos por trabalhador:</translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="194"/>
        <source>Bro&amp;wser:</source>
        <translation>&amp;Navegador:</translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="202"/>
        <source>PO page URL template:</source>
        <translation>Modelo da URL da página do PO:</translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="205"/>
        <source>E-mail e&amp;xport (.msg, .eml):</source>
        <translation>E&amp;xportar e-mails (.msg, .eml):</translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="209"/>
        <source>Li&amp;mit:</source>
        <translation>Limite:</translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="214"/>
        <source>Pages per worker (&amp;1–{max}):</source>
        <translation>Páginas por trabalhador (&amp;1–{max}):</translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="216"/>
        <source>Dr&amp;iver:</source>
        <translation>Driver:</translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="218"/>
        <source>Browser program:</source>
        <translation>Programa do navegador:</translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="221"/>
        <source>Start from a cop&amp;y of my browser profile:</source>
        <translation>Partir de uma cópia do meu perfil do navegador:</translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="222"/>
        <source>Language:</source>
        <translation>Idioma:</translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="223"/>
        <source>Ad&amp;vanced</source>
        <translation>A&amp;vançado</translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="223"/>
        <source>Show or hide the advanced settings</source>
        <translation>Mostra ou oculta as configurações avançadas</translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="264"/>
        <source>Enter the portal URL (e.g. https://yourcompany.coupahost.com) first.</source>
        <translation>Informe primeiro a URL do portal (por exemplo https://suaempresa.coupahost.com).</translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="267"/>
        <source>Choose a destination folder first.</source>
        <translation>Escolha primeiro uma pasta de destino.</translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="293"/>
        <source>(none)</source>
        <translation>(nenhum)</translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="296"/>
        <source>Other folder…</source>
        <translation>Outra pasta…</translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="303"/>
        <source>Choose a browser&apos;s user data folder</source>
        <translation>Escolha a pasta de dados de usuário de um navegador</translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="310"/>
        <source>Choose the browser driver</source>
        <translation>Escolha o driver do navegador</translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="315"/>
        <source>Choose the browser program</source>
        <translation>Escolha o programa do navegador</translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="356"/>
        <source>Browse…</source>
        <translation>Procurar…</translation>
    </message>
</context>
<context>
    <name>Status</name>
    <message>
        <location filename="../../gui/models.py" line="80"/>
        <source>Completed</source>
        <translation>Concluído</translation>
    </message>
    <message>
        <location filename="../../gui/models.py" line="81"/>
        <source>Partial</source>
        <translation>Parcial</translation>
    </message>
    <message>
        <location filename="../../gui/models.py" line="82"/>
        <source>Failed</source>
        <translation>Falhou</translation>
    </message>
    <message>
        <location filename="../../gui/models.py" line="83"/>
        <source>No attachments</source>
        <translation>Sem anexos</translation>
    </message>
    <message>
        <location filename="../../gui/models.py" line="84"/>
        <source>Not found</source>
        <translation>Não encontrado</translation>
    </message>
    <message>
        <location filename="../../gui/models.py" line="85"/>
        <source>No access</source>
        <translation>Sem acesso</translation>
    </message>
    <message>
        <location filename="../../gui/models.py" line="86"/>
        <source>Invalid</source>
        <translation>Inválido</translation>
    </message>
    <message>
        <location filename="../../gui/models.py" line="87"/>
        <source>Cancelled</source>
        <translation>Cancelado</translation>
    </message>
</context>
<context>
    <name>WorkerState</name>
    <message>
        <location filename="../../gui/models.py" line="65"/>
        <source>starting</source>
        <translation>iniciando</translation>
    </message>
    <message>
        <location filename="../../gui/models.py" line="66"/>
        <source>signing in</source>
        <translation>entrando</translation>
    </message>
    <message>
        <location filename="../../gui/models.py" line="67"/>
        <source>working</source>
        <translation>trabalhando</translation>
    </message>
    <message>
        <location filename="../../gui/models.py" line="68"/>
        <source>idle</source>
        <translation>ocioso</translation>
    </message>
    <message>
        <location filename="../../gui/models.py" line="69"/>
        <source>paused</source>
        <translation>pausado</translation>
    </message>
    <message>
        <location filename="../../gui/models.py" line="70"/>
        <source>restarting</source>
        <translation>reiniciando</translation>
    </message>
    <message>
        <location filename="../../gui/models.py" line="71"/>
        <source>stopped</source>
        <translation>parado</translation>
    </message>
    <message>
        <location filename="../../gui/models.py" line="72"/>
        <source>cancelled</source>
        <translation>cancelado</translation>
    </message>
</context>
<context>
    <name>WorkersModel</name>
    <message>
        <location filename="../../gui/models.py" line="131"/>
        <source>{n} POs: {names}</source>
        <translation>{n} POs: {names}</translation>
    </message>
    <message>
        <location filename="../../gui/models.py" line="367"/>
        <source>{po}: reading the PO&apos;s page</source>
        <translation>{po}: lendo a página do PO</translation>
    </message>
    <message>
        <location filename="../../gui/models.py" line="369"/>
        <source>{po} ({supplier}): {done} / {found} files</source>
        <translation>{po} ({supplier}): {done} / {found} arquivos</translation>
    </message>
    <message>
        <location filename="../../gui/models.py" line="371"/>
        <source>{po}: {done} / {found} files</source>
        <translation>{po}: {done} / {found} arquivos</translation>
    </message>
    <message>
        <location filename="../../gui/models.py" line="382"/>
        <source>Downloading {files} file(s): {done:.1f} of {total:.1f} MB</source>
        <translation>Baixando {files} arquivo(s): {done:.1f} de {total:.1f} MB</translation>
    </message>
</context>
<context>
    <name>WorkersPane</name>
    <message>
        <location filename="../../gui/run_area.py" line="256"/>
        <source>One row per worker (a browser): what it is doing now</source>
        <translation>Uma linha por trabalhador (um navegador): o que ele está fazendo agora</translation>
    </message>
    <message>
        <location filename="../../gui/run_area.py" line="263"/>
        <source>&lt;b&gt;Workers&lt;/b&gt;</source>
        <translation>&lt;b&gt;Trabalhadores&lt;/b&gt;</translation>
    </message>
</context>
</TS>
