cat <<EOF > /etc/x
body $(not parsed)
EOF
bash -e <<-"END"
	cd /x
	END
diff <(sort a) b; echo $((1+2)) ${A:-$B} $'a\tb'
