#!/usr/bin/env python3
# Writes gbk_list.html: a legacy GBK listing (domain.md §5.3) in a table,
# with 年月日 dates and a 1 2 下一页 pager.  Run from this directory.
PAGE = """<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN">
<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>政府信息公开年报</title>
</head>
<body>
<table width="980" border="0" cellspacing="0" cellpadding="0">
<tr><td class="nav"><a href="/">首页</a> | <a href="/zwgk/index.shtml">政务公开</a></td></tr>
</table>
<table class="list" width="700">
<tr><td class="bt"><a href="./202401/c04_163476.shtml" target="_blank">向阳区2023年政府信息公开工作年度报告</a></td><td class="rq">2024年1月20日</td></tr>
<tr><td class="bt"><a href="./202301/c04_150021.shtml" target="_blank">向阳区2022年政府信息公开工作年度报告</a></td><td class="rq">2023年01月28日</td></tr>
<tr><td class="bt"><a href="./202201/c04_139900.shtml" target="_blank">向阳区２０２１年政府信息公开工作年度报告</a></td><td class="rq">２０２２年１月３０日</td></tr>
<tr><td class="bt"><a href="./202201/c04_139811.shtml" target="_blank">向阳区2021年法治政府建设年度报告</a></td><td class="rq">2022年1月29日</td></tr>
</table>
<div class="fenye">
<a href="index.shtml">1</a> <a href="index_1.shtml">2</a> <a href="index_1.shtml">下一页</a> <a href="index_1.shtml">尾页</a>
</div>
</body>
</html>
"""
with open("gbk_list.html", "wb") as f:
    f.write(PAGE.encode("gbk"))
